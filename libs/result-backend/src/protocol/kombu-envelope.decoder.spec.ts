/** decodeKombuEnvelopes (kombu >= 5.3 `__type__` envelopes to typed values), toPlain back. */
import { decodeKombuEnvelopes } from './kombu-envelope.decoder.js';
import * as py from './pickle/python-values.js';
import { toPlain } from './py-plain.mapper.js';

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
