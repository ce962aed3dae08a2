/** stringifyCeleryJson: byte-exact Python `json.dumps` output, as kombu writes it. */
import { JsonDepthError } from '../errors/json-depth.error.js';
import { stringifyCeleryJson } from './celery-json.encoder.js';

describe('stringifyCeleryJson', () => {
  it('uses Python separators, key insertion order and bare non-finite tokens', () => {
    expect(
      stringifyCeleryJson({
        b: [1, 2],
        a: { c: null },
        n: [NaN, Infinity, -Infinity],
        t: true,
        f: false,
      }),
    ).toBe(
      '{"b": [1, 2], "a": {"c": null}, "n": [NaN, Infinity, -Infinity], "t": true, "f": false}',
    );
    expect(stringifyCeleryJson([])).toBe('[]');
    expect(stringifyCeleryJson({})).toBe('{}');
  });

  it('writes floats in Python repr form (checked against CPython 3.11)', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [2.5, '2.5'],
      [1e-7, '1e-07'],
      [1.5e16, '1.5e+16'],
      [1e100, '1e+100'],
      [-0, '-0.0'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [123456789.125, '123456789.125'],
      [1e22, '1e+22'],
      [1e21, '1e+21'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [2 ** 53, '9007199254740992.0'],
      [-1.5e-10, '-1.5e-10'],
      [3.14159, '3.14159'],
    ];
    for (const [value, text] of cases)
      expect(stringifyCeleryJson(value)).toBe(text);
    expect(stringifyCeleryJson([42, -7, 0, Number.MAX_SAFE_INTEGER])).toBe(
      '[42, -7, 0, 9007199254740991]',
    );
  });

  it('escapes strings like ensure_ascii: \\u00e9, surrogate pairs, U+2028, controls, DEL; "/" kept', () => {
    expect(
      stringifyCeleryJson('héllo wörld ✓ 日本語 🎉 "q" \\ /\n\t\u2028'),
    ).toBe(
      String.raw`"h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \ud83c\udf89 \"q\" \\ /\n\t\u2028"`,
    );
    expect(stringifyCeleryJson('\u0000\u001f\u007f\b\f\r\udc00')).toBe(
      String.raw`"\u0000\u001f\u007f\b\f\r\udc00"`,
    );
    expect(stringifyCeleryJson({ 'ké y': 1 })).toBe(
      String.raw`{"k\u00e9 y": 1}`,
    );
  });

  it('writes bigint as digits and Dates as kombu 5.2 or 5.3 datetimes', () => {
    expect(stringifyCeleryJson(12345678901234567890n)).toBe(
      '12345678901234567890',
    );
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(stringifyCeleryJson(date)).toBe('"2024-01-02T03:04:05.678000Z"');
    expect(stringifyCeleryJson(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe(
      '"2024-01-02T03:04:05Z"',
    );
    expect(stringifyCeleryJson({ d: date }, { kombuTagged: true })).toBe(
      '{"d": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.678000+00:00"}}',
    );
    expect(() => stringifyCeleryJson(new Date(NaN))).toThrow(TypeError);
  });

  it('honours toJSON, omits undefined properties, writes undefined array items as null, Map as object', () => {
    expect(
      stringifyCeleryJson({
        a: undefined,
        b: { toJSON: () => 'x' },
        c: [undefined, 1],
      }),
    ).toBe('{"b": "x", "c": [null, 1]}');
    expect(
      stringifyCeleryJson(
        new Map<unknown, unknown>([
          ['k', 1],
          [2, 'two'],
          [1.5, 'f'],
          [true, 't'],
          [null, 'n'],
        ]),
      ),
    ).toBe('{"k": 1, "2": "two", "1.5": "f", "true": "t", "null": "n"}');
    expect(
      stringifyCeleryJson([
        new Number(1.5),
        new String('s'),
        new Boolean(false),
      ]),
    ).toBe('[1.5, "s", false]');
  });

  it('refuses sets, bytes, functions, symbols and cycles with a TypeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [
      new Set([1]),
      new Uint8Array(2),
      Buffer.from('x'),
      () => 1,
      Symbol('s'),
      cyclic,
      [cyclic],
      { f: () => 1 },
    ]) {
      expect(() => stringifyCeleryJson(bad)).toThrow(TypeError);
    }
    expect(() => stringifyCeleryJson(new Map([[{}, 1]]))).toThrow(TypeError);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(stringifyCeleryJson([shared, shared])).toBe('[{"a": 1}, {"a": 1}]');
  });
});

describe('stringifyCeleryJson: cycles (looked for at the depth limit)', () => {
  it('refuses a cycle with a TypeError, as Python does, however long the loop', () => {
    const self: Record<string, unknown> = { a: 1 };
    self.me = self;
    const list: unknown[] = [1];
    list.push({ back: list });
    const a: Record<string, unknown> = {};
    const b = { x: [a] };
    a.b = b;
    for (const cyclic of [self, list, a, new Map([['k', self]])]) {
      expect(() => stringifyCeleryJson(cyclic)).toThrow(
        new TypeError('Circular reference detected'),
      );
    }
  });

  it('writes a shared object twice (not a cycle), and a deep chain as too deep', () => {
    const shared = { v: 1 };
    expect(stringifyCeleryJson([shared, { s: shared }])).toBe(
      '[{"v": 1}, {"s": {"v": 1}}]',
    );
    let deep: unknown = 0;
    for (let i = 0; i < 1001; i++) deep = [deep];
    expect(() => stringifyCeleryJson(deep)).toThrow(JsonDepthError);
  });
});
