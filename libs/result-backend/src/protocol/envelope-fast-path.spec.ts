import { decodeTaskMeta } from './task-meta.decoder.js';
import {
  parseCeleryJson,
  parseCeleryJsonNoting,
} from './celery-json.parser.js';
import {
  decodeKombuEnvelopes,
  mayHoldKombuEnvelope,
} from './kombu-envelope.decoder.js';
import { PyDecimal } from './pickle/python-values.js';

describe('plain-JSON read fast path (no "__type__" in the text: no envelope walk)', () => {
  const plain =
    '{"status": "SUCCESS", "result": {"a": [1, 2.5, "caf\\u00e9"], "__value__": 1}, "task_id": "t"}';

  it('sees no envelope in plain documents, nor in "__type__" as a value or a longer key', () => {
    expect(mayHoldKombuEnvelope(plain)).toBe(false);
    expect(mayHoldKombuEnvelope('{"k": "__type__"}')).toBe(true); // a value: the walk decides
    expect(mayHoldKombuEnvelope('{"x__type__": 1}')).toBe(false);
    expect(mayHoldKombuEnvelope('{"__type__": "decimal"}')).toBe(true);
  });

  it('sees a "__type__" key spelled with \\u escapes (JSON allows it; kombu decodes it)', () => {
    for (const key of ['\\u005f_type__', '__\\u0074ype__', '__t\\u0079pe__'])
      expect(mayHoldKombuEnvelope(`{"${key}": "decimal"}`)).toBe(true);
    const doc =
      '{"status": "SUCCESS", "result": {"\\u005f_type__": "decimal", "__value__": "1.10"}, "task_id": "t"}';
    const meta = decodeTaskMeta('t', doc);
    expect(meta.result).toBeInstanceOf(PyDecimal);
    expect(String(meta.result)).toBe('1.10');
  });

  it('gives the same value as the walk for a plain document', () => {
    expect(decodeTaskMeta('t', plain).result).toEqual(
      (decodeKombuEnvelopes(parseCeleryJson(plain)) as { result: unknown })
        .result,
    );
  });

  it('notes possible envelopes in the parse walk, on the native and the scanner path', () => {
    const noted = (text: string): boolean =>
      parseCeleryJsonNoting(text).mayHoldEnvelope;
    expect(noted(plain)).toBe(false);
    expect(noted('{"k": "__type__", "v": 1}')).toBe(false); // a value, not a key
    expect(noted('{"__type__": "x", "__value__": 1, "z": 2}')).toBe(false); // 3 keys
    expect(noted('[{"a": {"__value__": 1, "__type__": "decimal"}}]')).toBe(
      true,
    );
    expect(noted('{"\\u005f_type__": "decimal", "__value__": "1"}')).toBe(true);
    // NaN and a big integer send the text through the scanner, which notes them too.
    expect(noted('[NaN, {"__type__": "decimal", "__value__": "1"}]')).toBe(
      true,
    );
    expect(noted('[12345678901234567890, {"__type__": 1, "b": 2}]')).toBe(true);
    expect(noted('[NaN, {"__type__": 1}]')).toBe(false);
    expect(parseCeleryJsonNoting('[NaN, 2]').value).toEqual([NaN, 2]);
  });
});
