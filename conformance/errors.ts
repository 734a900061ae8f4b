/** How the suite words errors it observes (never a secret: the client's messages are redacted). */
import { DatabricksApiError, DatabricksClientError } from '../src/client';

/** `HTTP 404 RESOURCE_DOES_NOT_EXIST: <server message>` for API errors; the class and message otherwise. */
export function errorText(e: unknown): string {
  if (e instanceof DatabricksApiError) {
    const msg = e.serverMessage ? `: ${oneLine(e.serverMessage)}` : '';
    return e.status === 200 ? `statement ${e.errorCode}${msg}` : `HTTP ${e.status} ${e.errorCode}${msg}`;
  }
  if (e instanceof DatabricksClientError) return `${e.name}: ${oneLine(e.message)}`;
  if (e instanceof Error) return `${e.name}: ${oneLine(e.message)}`;
  return String(e);
}

export function oneLine(s: string, max = 240): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function isNotFoundError(e: unknown): boolean {
  return e instanceof DatabricksApiError && e.isNotFound;
}

/** Thrown by a check that cannot run here; the reason goes into the report. */
export class SkipCheck extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SkipCheck';
  }
}
