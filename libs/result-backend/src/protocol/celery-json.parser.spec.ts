/** parseCeleryJson: Python's `json` reader dialect (NaN, big integers, key order, depth). */
import { JsonDepthError } from '../errors/json-depth.error.js';
import { stringifyCeleryJson } from './celery-json.encoder.js';
import { parseCeleryJson, PY_KEY_ORDER } from './celery-json.parser.js';

describe('parseCeleryJson', () => {
  it('reads bare NaN, Infinity and -Infinity like Python', () => {
    expect(parseCeleryJson('[NaN, Infinity, -Infinity, 1]')).toEqual([
      NaN,
      Infinity,
      -Infinity,
      1,
    ]);
    expect(parseCeleryJson('{"a": NaN}')).toEqual({ a: NaN });
  });

  it('keeps integers beyond 2^53 exact as bigint', () => {
    const parsed = parseCeleryJson(
      '[9007199254740993, 12345678901234567890, -9007199254740993, 9007199254740991]',
    );
    expect(parsed).toEqual([
      9007199254740993n,
      12345678901234567890n,
      -9007199254740993n,
      9007199254740991,
    ]);
    expect(stringifyCeleryJson(parsed)).toBe(
      '[9007199254740993, 12345678901234567890, -9007199254740993, 9007199254740991]',
    );
  });

  it('keeps floats as numbers even when they are large', () => {
    expect(
      parseCeleryJson('[1e+100, 1.5e+16, 2.0, 1.2345678901234568e+17]'),
    ).toEqual([1e100, 1.5e16, 2, 1.2345678901234568e17]);
  });

  it('reads big integers and NaN inside long, nested documents', () => {
    const text = `{"status": "SUCCESS", "result": {"deep": [[{"n": 2305843009213693953}]], "x": NaN, "s": "${'9'.repeat(40)}"}}`;
    const parsed = parseCeleryJson(text) as {
      result: { deep: unknown[][]; x: number; s: string };
    };
    expect(parsed.result.deep[0][0]).toEqual({ n: 2305843009213693953n });
    expect(parsed.result.x).toBeNaN();
    expect(parsed.result.s).toBe('9'.repeat(40));
  });

  it('decodes escapes, lone surrogates and astral pairs like JSON.parse', () => {
    const text = String.raw`["h\u00e9 \ud83c\udf89 \u2028 \"q\" \\ \/ \b\f\n\r\t \udc00", NaN]`;
    expect((parseCeleryJson(text) as unknown[])[0]).toBe(
      'hé 🎉 \u2028 "q" \\ / \b\f\n\r\t \udc00',
    );
  });

  it('throws a SyntaxError with the position on bad input', () => {
    for (const bad of [
      '',
      '{',
      '[1,]',
      '{"a" 1}',
      '[1] x',
      'nan',
      '"\u0001"',
      '[NaN',
      '"abc',
      '01',
      '{"a":1,}',
      '-',
      '"\\x"',
    ]) {
      expect(() => parseCeleryJson(bad)).toThrow(SyntaxError);
    }
    expect(() => parseCeleryJson('[NaN, tru]')).toThrow(/position 6/);
  });

  it('does not let a "__proto__" key change the prototype', () => {
    const parsed = parseCeleryJson(
      '{"__proto__": {"polluted": 1}, "x": NaN}',
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses absurdly deep nesting with a JsonDepthError instead of overflowing the stack', () => {
    expect(() => parseCeleryJson('['.repeat(6000) + ']'.repeat(6000))).toThrow(
      JsonDepthError,
    );
  });

  it('records the stored order of integer-like keys so re-encoding keeps it', () => {
    const text = '{"b": 1, "10": "int key", "": "empty", "2": [1]}';
    const parsed = parseCeleryJson(text) as Record<string | symbol, unknown>;
    expect(Object.keys(parsed)).toEqual(['2', '10', 'b', '']); // JS order
    expect(parsed[PY_KEY_ORDER]).toEqual(['b', '10', '', '2']);
    expect(Object.keys(parsed)).not.toContain(PY_KEY_ORDER);
    expect(stringifyCeleryJson(parsed)).toBe(text);
  });

  it('keeps the first position of a duplicated key, with the last value (like a Python dict)', () => {
    const parsed = parseCeleryJson('{"1": "a", "x": 2, "1": "b"}');
    expect(stringifyCeleryJson(parsed)).toBe('{"1": "b", "x": 2}');
  });
});
