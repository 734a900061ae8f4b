/** Personal access token authentication: a static Bearer token. */
import { AuthConfigError } from '../errors';
import type { AuthProvider } from './provider';

export function patAuth(token: string): AuthProvider {
  if (token.trim() === '') {
    throw new AuthConfigError('MISSING_CREDENTIALS', 'The personal access token is empty. Create one in the workspace under Settings → Developer → Access tokens.');
  }
  const value = token.trim();
  return {
    type: 'pat',
    headers: () => Promise.resolve({ authorization: `Bearer ${value}` }),
    invalidate: () => Promise.resolve(false),
    secrets: () => [value],
  };
}
