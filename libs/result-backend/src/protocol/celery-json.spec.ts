import * as py from './pickle/python-values.js';
import { JsonDepthError } from '../errors/json-depth.error.js';
import {
  decodeKombuEnvelopes,
  toPlain,
  parseCeleryJson,
  PY_KEY_ORDER,
  stringifyCeleryJson,
} from './celery-json.js';

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

describe('decodeKombuEnvelopes', () => {
  const env = (type: string, value: unknown) => ({
    __type__: type,
    __value__: value,
  });

  it('replaces every kombu 5.3 type with its typed value; toPlain gives the plain JSON', () => {
    const decoded = decodeKombuEnvelopes({
      dt: env('datetime', '2024-01-02T03:04:05+00:00'),
      d: env('date', '2024-01-02'),
      t: env('time', '03:04:05'),
      dec: env('decimal', '1.10'),
      u: env('uuid', { hex: '12345678123456781234567812345678' }),
      b: env('bytes', 'abc'),
      b64: env('base64', '/wA='),
      nested: [{ x: env('decimal', '2') }],
    });
    const typed = decoded as Record<string, unknown>;
    expect(typed.dt).toBeInstanceOf(py.PyDateTime);
    expect(typed.d).toBeInstanceOf(py.PyDate);
    expect(typed.t).toBeInstanceOf(py.PyTime);
    expect(typed.dec).toBeInstanceOf(py.PyDecimal);
    expect(typed.u).toBeInstanceOf(py.PyUuid);
    expect(typed.b).toEqual(Buffer.from('abc'));
    expect(typed.b64).toEqual(Buffer.from([0xff, 0]));
    expect(toPlain(decoded)).toEqual({
      dt: '2024-01-02T03:04:05+00:00',
      d: '2024-01-02',
      t: '03:04:05',
      dec: '1.10',
      u: '12345678-1234-5678-1234-567812345678',
      b: 'abc',
      b64: '/wA=',
      nested: [{ x: '2' }],
    });
  });

  it('applies the version of the kombu 5.3.0 uuid form like Python uuid.UUID', () => {
    // uuid.UUID(hex='12345678123456781234567812345678', version=4) == 12345678-1234-4678-9234-567812345678
    expect(
      decodeKombuEnvelopes(
        env('uuid', { hex: '12345678123456781234567812345678', version: 4 }),
      ),
    ).toEqual(new py.PyUuid('12345678-1234-4678-9234-567812345678'));
  });

  it('leaves objects without envelopes untouched (same instances) and only exact key sets count', () => {
    const value = {
      a: [1, { b: 2 }],
      c: { __type__: 'x', __value__: 1, other: 1 },
      d: { __type__: 'x' },
    };
    expect(decodeKombuEnvelopes(value)).toBe(value);
  });

  it('does not modify the input when it decodes', () => {
    const input = { a: env('decimal', '1') };
    const out = decodeKombuEnvelopes(input);
    expect(out).toEqual({ a: new py.PyDecimal('1') });
    expect(input.a).toEqual(env('decimal', '1'));
  });

  it('throws a TypeError for an unknown type or a malformed value', () => {
    expect(() => decodeKombuEnvelopes([env('pickle', 'x')])).toThrow(TypeError);
    expect(() => decodeKombuEnvelopes(env('__proto__', 'x'))).toThrow(
      TypeError,
    );
    expect(() => decodeKombuEnvelopes(env('uuid', { hex: 'zz' }))).toThrow(
      TypeError,
    );
    expect(() => decodeKombuEnvelopes(env('datetime', 5))).toThrow(TypeError);
  });
});
