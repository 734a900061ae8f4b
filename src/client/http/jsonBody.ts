/**
 * A 2xx body read as JSON and checked with its schema: what the workspace client does with every
 * answer (HTML login pages, truncated or empty bodies and schema mismatches become typed errors).
 */
import type * as z from 'zod';
import { UnexpectedResponseError } from '../errors';
import { bodySnippet, redactSecrets } from '../redact';
import type { HttpResponse } from './transport';

/**
 * Parses a 2xx body as JSON and validates it. Non-JSON, HTML, truncated, empty (unless allowed)
 * and schema-mismatched bodies become UnexpectedResponseError.
 */
export function parseJsonBody<S extends z.ZodTypeAny>(
  res: Pick<HttpResponse, 'status' | 'text' | 'contentType' | 'requestId'>,
  schema: S,
  method: string,
  /** the path shown in messages (a function: computed only for an error) */
  path: string | (() => string),
  /** the secrets to scrub from an error's excerpt (a function: read only for an error) */
  secrets: Iterable<string> | (() => Iterable<string>),
  allowEmpty: boolean,
  parseJson: (text: string) => unknown = JSON.parse,
): z.output<S> {
  let knownList: string[] | undefined;
  const known = (): string[] => (knownList ??= [...(typeof secrets === 'function' ? secrets() : secrets)]);
  const base = () => ({ status: res.status, method, path: typeof path === 'string' ? path : path(), contentType: res.contentType, requestId: res.requestId });
  const trimmed = res.text.trim();
  let value: unknown;
  if (trimmed === '') {
    if (!allowEmpty) throw new UnexpectedResponseError({ ...base(), reason: 'empty', snippet: '' });
    value = {};
  } else {
    if (/html/i.test(res.contentType) || trimmed.startsWith('<')) {
      throw new UnexpectedResponseError({ ...base(), reason: 'html', snippet: bodySnippet(trimmed, known()) });
    }
    try {
      value = parseJson(trimmed);
    } catch {
      const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
      throw new UnexpectedResponseError({ ...base(), reason: looksJson && isIncompleteJson(trimmed) ? 'truncated' : 'not-json', snippet: bodySnippet(trimmed, known()) });
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
      .join('; ');
    throw new UnexpectedResponseError({ ...base(), reason: 'schema', snippet: bodySnippet(trimmed, known()), detail: redactSecrets(detail, known()) });
  }
  return parsed.data as z.output<S>;
}

/** A JSON text that fails to parse only because it ends too early. */
function isIncompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch (e) {
    const m = e instanceof Error ? e.message : '';
    if (/end of (JSON )?input|Unterminated string/i.test(m)) return true;
  }
  // Unbalanced brackets outside strings also mean "cut off".
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth > 0 || inString;
}
