/**
 * JSON text → value, without losing the digits of large integers.
 *
 * The Databricks REST API types many ids as int64 (`owner_id`, `created_by_id`, `workspace_id`, SCIM
 * ids sent as numbers). `JSON.parse` rounds every integer beyond 2^53 to the nearest double, so an id
 * such as 9007199254740993 would silently become …992 and name another object. Here an integer that
 * is not a safe JavaScript number is kept as its decimal string; every other number is a number. The
 * schemas' `Id` accepts both and normalises to a string, so callers never see the difference.
 *
 * Parsing is done by V8's JSON.parse wherever that loses nothing, else by lossless-json (a maintained
 * parser that hands each number's source text to us), never by a hand-written parser:
 * - no run of 16 digits in the text: no integer can be unsafe (2^53 has 16 digits), JSON.parse is exact;
 * - else the integers of 16+ digits that stand as values (after `:` `,` `[` or at the start, before
 *   `,` `}` `]` or the end) and are unsafe are put in quotes and JSON.parse reads the text. Such a digit
 *   run inside a string (say `"a:12345678901234567,b"`) would get quotes inside the string, which
 *   always makes the text invalid (a string directly followed by digits): then lossless-json reads it.
 * JSON.parse is ~3-8x faster than lossless-json (a 1.3 MiB list of 5 000 tokens: ~18 ms against
 * ~45-140 ms on the development machine), which is what large workspaces download.
 * Duplicate keys: the last one wins, as with JSON.parse and the Databricks SDKs (lossless-json alone
 * refused them; it still does where it reads the text).
 */
import { isSafeNumber, parse, stringify } from 'lossless-json';

// an integer of 16+ digits followed by what ends a value; whether a value's start (`:` `,` `[` or the
// text's start) stands before it is checked for the few matches (a look-behind of any length here
// was tried at every position of the text)
const LONG_INTEGER = /(?<!\d)-?\d{16,}(?=\s*(?:[,}\]]|$))/g;
const SPACE = /\s/;

/** Whether the text before `offset`, spaces aside, is a value's start. */
function atValueStart(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && SPACE.test(text[i])) i--;
  return i < 0 || text[i] === ':' || text[i] === ',' || text[i] === '[';
}

const INTEGER = /^-?\d+$/;
// a run of 16+ digits, tried only where a run starts (the look-behind fails at once inside a run of
// shorter numbers, such as the 13-digit timestamps every listing holds: half the scan's time)
const DIGIT_RUN = /(?<!\d)\d{16,}/g;

/** Every run of 16 or more digits is a safe integer (as a number, a string's content or part of a longer token). */
function allRunsSafe(text: string): boolean {
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
    const prev = text[m.index - 1];
    // a fraction or exponent part (1.5e1234567890123456) or a digit run glued to a sign: let the full path judge
    if (m[0].length > 16 || prev === '.' || prev === 'e' || prev === 'E' || prev === '+' || !isSafeNumber(m[0])) return false;
  }
  return true;
}

/** Unsafe integers → decimal strings; other numbers (including unsafe non-integers) → numbers. */
function parseNumber(text: string): number | string {
  if (INTEGER.test(text) && !isSafeNumber(text)) return text;
  return Number(text);
}

/** Like JSON.parse (throws SyntaxError on invalid JSON), but integers beyond 2^53 keep every digit (as strings). */
export function parseJsonLossless(text: string): unknown {
  // no run of 16+ digits, or only safe ones (16 digits below 2^53, e.g. SCIM ids): JSON.parse is exact,
  // and the look-behind scan below (the costly part for a large body) is not needed
  if (allRunsSafe(text)) return JSON.parse(text);
  try {
    return JSON.parse(text.replace(LONG_INTEGER, (m: string, offset: number) => (isSafeNumber(m) || !atValueStart(text, offset) ? m : `"${m}"`)));
  } catch {
    return parse(text, null, parseNumber);
  }
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
