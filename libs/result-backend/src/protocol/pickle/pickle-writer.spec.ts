/**
 * The protocol-4 writer: JS round trips and exact bytes for small values (CPython's own
 * `pickle.loads` of the writer's output is checked in test/pickle-python.e2e-spec.ts).
 */
import {
  PyDate,
  PyDateTime,
  PyDecimal,
  PyException,
  PyTime,
  PyTimedelta,
  PyTimezone,
  PyUuid,
  UnknownPythonObject,
  celeryJsonToPython,
  dumpsPickle,
  loadsPickle,
  pythonToCeleryJson,
} from './index.js';
import { EnvelopeShapedValueError } from '../../errors/envelope-shaped-value.error.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('dumpsPickle', () => {
  it('writes protocol 4 framing-free pickles with the shortest opcodes', () => {
    expect(hex(dumpsPickle(null))).toBe('80044e2e');
    expect(hex(dumpsPickle(true))).toBe('8004882e');
    expect(hex(dumpsPickle(255))).toBe('80044bff2e');
    expect(hex(dumpsPickle(-1))).toBe('80044affffffff2e');
    expect(hex(dumpsPickle(2n ** 64n))).toBe(
      '80048a09000000000000000001' + '2e',
    );
    expect(hex(dumpsPickle('é'))).toBe('80048c02c3a92e');
  });

  it.each([
    [
      'scalars',
      [null, true, false, 0, -5, 2 ** 40, 1.5, -0, NaN, Infinity, 'x', ''],
    ],
    ['big integers', [2n ** 100n, -(2n ** 70n), 9007199254740993n]],
    ['nested containers', { a: [1, { b: [[], {}] }], '': null, __proto__x: 1 }],
    [
      'long strings and bytes',
      ['é'.repeat(300), new Uint8Array([0, 255, 128])],
    ],
  ])('round-trips %s', (_name, value) => {
    expect(loadsPickle(dumpsPickle(value))).toEqual(value);
  });

  it('round-trips sets and typed values exactly', () => {
    const tz = new PyTimezone(new PyTimedelta(0, 19800, 0));
    const value = [
      new Set([1, 'a']),
      new PyDateTime(2026, 11, 30, 15, 55, 44, 123456),
      new PyDateTime(1999, 12, 31, 23, 59, 59, 1, tz),
      new PyDate(2024, 2, 29),
      new PyTime(12, 30, 1, 500, tz),
      new PyTimedelta(-1, 3600, 5),
      new PyDecimal('3.14159265358979323846264338327950288'),
      new PyUuid('12345678-1234-5678-1234-567812345678'),
      new PyException('builtins', 'ValueError', ['bad', 1]),
    ];
    expect(loadsPickle(dumpsPickle(value))).toEqual(value);
  });

  it('writes a JS Date as an aware UTC datetime', () => {
    const back = loadsPickle(
      dumpsPickle(new Date('2020-01-02T03:04:05.678Z')),
    ) as PyDateTime;
    expect(back.isoformat()).toBe('2020-01-02T03:04:05.678000+00:00');
  });

  it('never writes an unknown global, a function, a cycle or a too-deep value', () => {
    expect(() =>
      dumpsPickle(new UnknownPythonObject('os', 'system', ['id'])),
    ).toThrow(/refusing to pickle the Python global os.system/);
    expect(() => dumpsPickle(new PyException('myapp', 'Boom', []))).toThrow(
      TypeError,
    );
    expect(() => dumpsPickle(() => 1)).toThrow(TypeError);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => dumpsPickle(cyclic)).toThrow(/cyclic/);
    let deep: unknown = 1;
    for (let i = 0; i < 1100; i++) deep = [deep];
    expect(() => dumpsPickle(deep)).toThrow(/too deeply/);
  });
});

describe('Celery JSON bridge', () => {
  it('maps kombu envelopes to Python types and back', () => {
    const json = {
      when: {
        __type__: 'datetime',
        __value__: '2026-11-30T15:55:44.123456+05:30',
      },
      day: { __type__: 'date', __value__: '2024-02-29' },
      at: { __type__: 'time', __value__: '12:30:01.000500' },
      price: { __type__: 'decimal', __value__: '1.10' },
      id: {
        __type__: 'uuid',
        __value__: { hex: '12345678123456781234567812345678' },
      },
      raw: { __type__: 'base64', __value__: 'AP8=' },
      text: { __type__: 'bytes', __value__: 'hi' },
      list: [1, 'a'],
    };
    const python = celeryJsonToPython(json) as Record<string, unknown>;
    expect(python.when).toEqual(
      new PyDateTime(
        2026,
        11,
        30,
        15,
        55,
        44,
        123456,
        new PyTimezone(new PyTimedelta(0, 19800, 0)),
      ),
    );
    expect(python.raw).toEqual(Buffer.from([0, 255]));
    expect(python.text).toEqual(Buffer.from('hi'));
    expect(python.price).toEqual(new PyDecimal('1.10'));
    expect(python.id).toEqual(new PyUuid('12345678123456781234567812345678'));
    expect(pythonToCeleryJson(loadsPickle(dumpsPickle(python)))).toEqual(json);
    // typed: the codec's values as they are (what a decoded Celery 5.6 document holds).
    const typed = pythonToCeleryJson(loadsPickle(dumpsPickle(python)), {
      typed: true,
    }) as Record<string, unknown>;
    expect(typed.when).toEqual(python.when);
    expect(typed.day).toEqual(new PyDate(2024, 2, 29));
    expect(typed.at).toEqual(new PyTime(12, 30, 1, 500, null));
    expect(typed.price).toEqual(new PyDecimal('1.10'));
    expect(typed.raw).toEqual(Buffer.from([0, 255]));
    expect(Buffer.isBuffer(typed.text)).toBe(true);
  });

  it('refuses envelope-shaped plain objects both ways, like the JSON writer', () => {
    const user = { a: [{ __type__: 'datetime', __value__: 'x' }] };
    expect(() => dumpsPickle(user)).toThrow(EnvelopeShapedValueError);
    expect(() => dumpsPickle(user)).toThrow('$.a[0]');
    // Three keys are an ordinary dict.
    expect(
      loadsPickle(dumpsPickle({ __type__: 'x', __value__: 1, more: 2 })),
    ).toEqual({ __type__: 'x', __value__: 1, more: 2 });
    // A Python dict shaped like an envelope has no faithful Celery JSON form.
    const pickled = Uint8Array.from(
      Buffer.from(
        '80049522000000000000007d94288c085f5f747970655f5f948c0178948c095f5f76616c75655f5f944b01752e',
        'hex',
      ),
    );
    expect(loadsPickle(pickled)).toEqual({ __type__: 'x', __value__: 1 });
    expect(() => pythonToCeleryJson(loadsPickle(pickled))).toThrow(TypeError);
    // Unknown or malformed envelopes in Celery JSON are refused, as kombu does.
    expect(() =>
      celeryJsonToPython({ r: { __type__: 'pickle', __value__: 'x' } }),
    ).toThrow(TypeError);
    expect(() =>
      celeryJsonToPython({ __type__: 'decimal', __value__: 'abc' }),
    ).toThrow(TypeError);
  });

  it('reads unknown objects in exception states as Celery exception dicts', () => {
    const exc = new UnknownPythonObject('myapp.errors', 'QuotaExceeded', [
      'over',
      3,
    ]);
    expect(pythonToCeleryJson(exc, { exceptionState: true })).toEqual({
      exc_type: 'QuotaExceeded',
      exc_message: ['over', 3],
      exc_module: 'myapp.errors',
    });
    expect(pythonToCeleryJson(exc)).toEqual({
      __python_object__: 'myapp.errors.QuotaExceeded',
      args: ['over', 3],
    });
  });
});
