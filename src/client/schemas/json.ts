/**
 * JSON text → value, without losing the digits of large integers.
 *
 * The Databricks REST API types many ids as int64 (`owner_id`, `created_by_id`, `workspace_id`, SCIM
 * ids sent as numbers). `JSON.parse` rounds every integer beyond 2^53 to the nearest double, so an id
 * such as 9007199254740993 would silently become …992 and name another object. Here an integer that
 * is not a safe JavaScript number is kept as its decimal string; every other number is a number. The
 * schemas' `Id` accepts both and normalises to a string, so callers never see the difference.
 *
 * Parsing is done by lossless-json (a maintained parser that hands each number's source text to us),
 * not by a hand-written parser.
 */
import { isSafeNumber, parse, stringify } from 'lossless-json';

const INTEGER = /^-?\d+$/;

/** Unsafe integers → decimal strings; other numbers (including unsafe non-integers) → numbers. */
function parseNumber(text: string): number | string {
  if (INTEGER.test(text) && !isSafeNumber(text)) return text;
  return Number(text);
}

/** Like JSON.parse (throws SyntaxError on invalid JSON), but integers beyond 2^53 keep every digit (as strings). */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, parseNumber);
}

/**
 * Like JSON.stringify, but a bigint is written as a plain JSON integer with every digit (JSON.stringify
 * throws on it). For request bodies with int64 fields beyond 2^53 (a ConnectRequest's workspace_id).
 */
export function stringifyJsonLossless(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('not JSON-serialisable');
  return text;
}

/**
 * What was wrong with a JSON text, for an error message, without the excerpt of the text that
 * `JSON.parse` quotes since Node 19 (`Unexpected token 'd', "{"x": dapi0123"... is not valid JSON`):
 * the text may be a file holding a secret. The position is kept when the engine gives one.
 */
export function jsonSyntaxProblem(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?\s+is not valid JSON$/, '').replace(/\s+/g, ' ').slice(0, 120);
}
