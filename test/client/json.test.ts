/**
 * parseJsonLossless: JSON.parse where that loses nothing, lossless-json where it would. Every case is
 * compared with lossless-json's own reading (the reference), so the fast path cannot drift from it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSafeNumber, parse } from 'lossless-json';
import { parseJsonLossless } from '../../src/client/schemas';

const reference = (text: string): unknown => parse(text, null, (t) => (/^-?\d+$/.test(t) && !isSafeNumber(t) ? t : Number(t)));

describe('parseJsonLossless', () => {
  it('reads what lossless-json reads: unsafe integers as decimal text, everything else as JSON.parse does', () => {
    const cases = [
      '{"owner_id":9007199254740993,"n":1,"f":1.5,"e":1e300,"neg":-9007199254740995}',
      '[9007199254740993, 4000000000000201, 12345678901234567890123]',
      '9007199254740993',
      ' 9007199254740993 ',
      '{"a": [ {"b" : 18446744073709551615 } ] }',
      '{"x":12345678901234567.5,"y":1.2345678901234567e5,"z":-1e-12345678901234567}',
      // digit runs inside strings are text, whatever stands around them
      '{"s":"a:12345678901234567,b","t":"[98765432109876543]","u":"9007199254740993","id":9007199254740993}',
      '{"s":"\\u1234567890123456789"}',
      '{"token_id":"5684c955822ac792a51ae2aeb80190f13457bab3e2e2934c133a08b38454816c","creation_time":1700000000000}',
      '{"small":42,"safe16":4503599627370496}',
      // safe 16-digit ids beside an unsafe one, in a string, after a fraction or an exponent
      '{"id":4000000000000201,"s":"9007199254740993","t":[4000000000000202,9007199254740993]}',
      '{"id":4000000000000201,"f":0.4000000000000201,"e":1e4000000000000201,"g":1E+4000000000000201}',
    ];
    for (const c of cases) assert.deepEqual(parseJsonLossless(c), reference(c), c);
  });

  it('a long list of int64 ids (the token list of a large workspace) keeps every digit', () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => (9_007_199_254_740_993n + BigInt(i * 7918)).toString());
    const text = `{"token_infos":[${ids.map((id, i) => `{"token_id":"t${i}","owner_id":${id},"comment":"filler ${i}: ${id}"}`).join(',')}]}`;
    const out = parseJsonLossless(text) as { token_infos: { owner_id: string; comment: string }[] };
    assert.deepEqual(out.token_infos.map((t) => t.owner_id), ids);
    assert.deepEqual(out, reference(text));
  });

  it('any JSON with long integers as values, in strings, beside fractions and exponents, with any spacing: as the reference reads it', () => {
    const long = fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map((b) => b.toString());
    const token = fc.oneof(long, long.map((d) => `"${d}"`), long.map((d) => `"id ${d},x"`), long.map((d) => `0.${d.replace('-', '')}`), long.map((d) => `1e${d.replace('-', '').slice(0, 3)}`), fc.constantFrom('1', 'true', 'null', '"a"'));
    const space = fc.constantFrom('', ' ', '\n  ', '\t');
    const text = fc.array(fc.tuple(space, token, space), { minLength: 1, maxLength: 8 }).chain((items) =>
      fc.constantFrom(
        `[${items.map(([a, t, b]) => a + t + b).join(',')}]`,
        `{${items.map(([a, t, b], i) => `${a}"k${i}"${b}:${a}${t}${b}`).join(',')}}`,
      ),
    );
    fc.assert(
      fc.property(text, (t) => {
        let expected: unknown;
        try {
          expected = reference(t);
        } catch {
          return; // not JSON (an exponent too large for the reference): nothing to compare
        }
        assert.deepEqual(parseJsonLossless(t), expected, t);
      }),
      { numRuns: 2_000 },
    );
  });

  it('invalid JSON throws a SyntaxError, on either path', () => {
    for (const bad of ['{"a":', '{"a":9007199254740993', '[1 2]', '{"a":9007199254740993}x', 'nope']) {
      assert.throws(() => parseJsonLossless(bad), SyntaxError, bad);
    }
  });
});
