import { EnvelopeShapedValueError } from '../errors/envelope-shaped-value.error.js';
import { RemoteTaskError } from '../errors/remote-task.error.js';
import {
  decodeKombuEnvelopes,
  parseCeleryJson,
  stringifyCeleryJson,
  toPlain,
} from './celery-json.js';
import {
  formatDateDoneFor,
  parseCeleryVersion,
  timeZoneOffsetMinutes,
} from './celery-version.js';
import {
  PyDate,
  PyDateTime,
  PyDecimal,
  PyTime,
  PyUuid,
} from './pickle/python-values.js';
import {
  parsePyDate,
  parsePyDateTime,
  parsePyDecimal,
  parsePyTime,
} from './py-values.js';
import { decodeTaskMeta } from './task-meta.decoder.js';
import { encodeTaskMeta } from './task-meta.encoder.js';

const ID = 'd5a9e8a4-2f5c-4c1e-9a55-0f3c3f1a2b3c';
const decode = (text: string): unknown =>
  decodeKombuEnvelopes(parseCeleryJson(text));

describe('typed Python values', () => {
  // Stored by Celery 5.6.3 (kombu 5.6.2), see the vectors' success_* scenarios.
  const stored =
    '{"dt": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.678901+05:30"}, ' +
    '"naive": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05"}, ' +
    '"d": {"__type__": "date", "__value__": "2024-01-02"}, ' +
    '"t": {"__type__": "time", "__value__": "03:04:05.000600"}, ' +
    '"dec": {"__type__": "decimal", "__value__": "3.14159265358979323846264338327950288"}, ' +
    '"u": {"__type__": "uuid", "__value__": {"hex": "12345678123456781234567812345678"}}, ' +
    '"b": {"__type__": "bytes", "__value__": "caf\\u00e9"}, ' +
    '"b64": {"__type__": "base64", "__value__": "AAFiaW5hcnn/"}}';

  it('reads envelopes as typed values keeping microseconds, offsets and every digit', () => {
    const v = decode(stored) as Record<string, unknown>;
    const dt = v.dt as PyDateTime;
    expect(dt).toBeInstanceOf(PyDateTime);
    expect([
      dt.isoformat(),
      dt.tzinfo?.offset.totalMicroseconds(),
      dt.microsecond,
    ]).toEqual(['2024-01-02T03:04:05.678901+05:30', 19_800_000_000, 678901]);
    expect(dt.toDate().toISOString()).toBe('2024-01-01T21:34:05.678Z');
    expect((v.naive as PyDateTime).tzinfo).toBeNull();
    expect(v.d).toEqual(new PyDate(2024, 1, 2));
    expect((v.t as PyTime).isoformat()).toBe('03:04:05.000600');
    expect((v.dec as PyDecimal).text).toBe(
      '3.14159265358979323846264338327950288',
    );
    expect((v.u as PyUuid).hex).toBe('12345678123456781234567812345678');
    expect(v.b).toEqual(Buffer.from('café', 'utf8'));
    expect((v.b64 as Buffer).toString('base64')).toBe('AAFiaW5hcnn/');
  });

  it('keeps negative and second offsets exactly', () => {
    for (const text of [
      '2024-01-02T03:04:05-05:00',
      '2024-01-02T03:04:05.000001+05:30:15',
      '0001-01-01T00:00:00-23:59',
    ])
      expect(parsePyDateTime(text).isoformat()).toBe(text);
    expect(parsePyDate('2024-02-29')).toEqual(new PyDate(2024, 2, 29));
  });

  it('writes them back as the same envelopes (5.3+ forms), byte for byte', () => {
    expect(stringifyCeleryJson(decode(stored), { kombuTagged: true })).toBe(
      stored,
    );
  });

  it('writes kombu 5.2 forms for a 5.2 target and refuses bytes there', () => {
    const v = decode(stored) as Record<string, unknown>;
    const { b: _b, b64: _b64, ...noBytes } = v;
    expect(
      stringifyCeleryJson({
        ...noBytes,
        utc: parsePyDateTime('2024-01-02T03:04:05+00:00'),
      }),
    ).toBe(
      '{"dt": "2024-01-02T03:04:05.678901+05:30", "naive": "2024-01-02T03:04:05", ' +
        '"d": "2024-01-02T00:00:00", "t": "03:04:05.000600", ' +
        '"dec": "3.14159265358979323846264338327950288", ' +
        '"u": "12345678-1234-5678-1234-567812345678", "utc": "2024-01-02T03:04:05Z"}',
    );
    expect(() => stringifyCeleryJson({ b: v.b })).toThrow(
      'Object of type bytes is not JSON serializable',
    );
  });

  it('writes a JS Date and Buffer in the target forms', () => {
    const date = new Date('2024-01-02T03:04:05.120Z');
    const value = {
      at: date,
      raw: Buffer.from([0, 1, 255]),
      text: Buffer.from('hi'),
    };
    expect(stringifyCeleryJson(value, { kombuTagged: true })).toBe(
      '{"at": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.120000+00:00"}, ' +
        '"raw": {"__type__": "base64", "__value__": "AAH/"}, ' +
        '"text": {"__type__": "bytes", "__value__": "hi"}}',
    );
    expect(stringifyCeleryJson({ at: date })).toBe(
      '{"at": "2024-01-02T03:04:05.120000Z"}',
    );
  });

  it('toPlain gives the plain JSON text of every typed value', () => {
    expect(toPlain(decode(stored))).toEqual({
      dt: '2024-01-02T03:04:05.678901+05:30',
      naive: '2024-01-02T03:04:05',
      d: '2024-01-02',
      t: '03:04:05.000600',
      dec: '3.14159265358979323846264338327950288',
      u: '12345678-1234-5678-1234-567812345678',
      b: 'café',
      b64: 'AAFiaW5hcnn/',
    });
    expect(JSON.stringify(new PyDecimal('1.10'))).toBe('"1.10"');
  });

  it('refuses malformed typed values', () => {
    expect(() => parsePyDateTime('yesterday')).toThrow(TypeError);
    expect(() => parsePyDateTime('2024-02-30T00:00:00')).toThrow(TypeError);
    expect(() => parsePyDate('2024-1-2')).toThrow(TypeError);
    expect(() => parsePyTime('3 pm')).toThrow(TypeError);
    expect(() => parsePyDecimal('1,5')).toThrow(TypeError);
    expect(() => new PyUuid('1234')).toThrow(TypeError);
    expect(() => decode('{"__type__": "base64", "__value__": "**"}')).toThrow(
      TypeError,
    );
  });
});

describe('envelope-shaped plain objects', () => {
  const shaped = { __type__: 'custom', __value__: 1 };

  it.each([false, true])(
    'are refused with the path inside the value (kombuTagged %s)',
    (kombuTagged) => {
      const run = () =>
        stringifyCeleryJson({ items: [1, { 'a b': shaped }] }, { kombuTagged });
      expect(run).toThrow(EnvelopeShapedValueError);
      expect(run).toThrow(/\$\.items\[1\]\["a b"\]/);
      expect(() =>
        stringifyCeleryJson(new Map<string, unknown>(Object.entries(shaped))),
      ).toThrow(EnvelopeShapedValueError);
    },
  );

  it('are refused in task documents, exception args included, naming the field', () => {
    const write = (result: unknown) => () =>
      encodeTaskMeta(
        { taskId: ID, status: 'FAILURE', result },
        { celeryVersion: '5.6' },
      );
    expect(write({ deep: [shaped] })).toThrow(
      expect.objectContaining({ path: 'result.exc_message[0].deep[0]' }),
    );
    const error = new RemoteTaskError({
      taskId: ID,
      state: 'FAILURE',
      excType: 'ValueError',
      excModule: 'builtins',
      excArgs: ['x', shaped],
      traceback: null,
    });
    expect(write(error)).toThrow(
      expect.objectContaining({ path: 'result.exc_message[1]' }),
    );
  });

  it('other objects with those keys pass', () => {
    expect(stringifyCeleryJson({ __type__: 'x', __value__: 1, other: 2 })).toBe(
      '{"__type__": "x", "__value__": 1, "other": 2}',
    );
    expect(stringifyCeleryJson({ __type__: 'x', __value__: undefined })).toBe(
      '{"__type__": "x"}',
    );
  });
});

describe('target Celery version', () => {
  const date = new Date('2026-11-30T14:22:26.214Z');

  it('parses version text', () => {
    expect(parseCeleryVersion('5.2.6')).toBe('5.2');
    expect(parseCeleryVersion('v5.5.2')).toBe('5.5');
    expect(parseCeleryVersion('5.7')).toBe('5.6');
    expect(() => parseCeleryVersion('4.4')).toThrow(TypeError);
    expect(() => parseCeleryVersion('latest')).toThrow(TypeError);
  });

  it('writes date_done in each version form', () => {
    expect(formatDateDoneFor(date, '5.2')).toBe('2026-11-30T14:22:26.214000');
    expect(formatDateDoneFor(date, '5.3')).toBe('2026-11-30T14:22:26.214000');
    expect(formatDateDoneFor(date, '5.4', 'Asia/Kolkata')).toBe(
      '2026-11-30T14:22:26.214000+00:00',
    );
    expect(formatDateDoneFor(date, '5.5')).toBe(
      '2026-11-30T14:22:26.214000+00:00',
    );
    expect(formatDateDoneFor(date, '5.6', 'Asia/Kolkata')).toBe(
      '2026-11-30T19:52:26.214000+05:30',
    );
    expect(formatDateDoneFor(date, '5.6', 'America/New_York')).toBe(
      '2026-11-30T09:22:26.214000-05:00',
    );
    expect(
      timeZoneOffsetMinutes(
        new Date('2026-07-01T12:00:00Z'),
        'America/New_York',
      ),
    ).toBe(-240);
    expect(() => formatDateDoneFor(date, '5.6', 'Mars/Base')).toThrow(
      RangeError,
    );
  });

  it('writes a task document a 5.6 reader decodes to the same typed values', () => {
    const result = {
      at: parsePyDateTime('2024-01-02T03:04:05.678901'),
      n: new PyDecimal('1.10'),
    };
    const raw = encodeTaskMeta(
      { taskId: ID, status: 'SUCCESS', result, dateDone: date },
      { celeryVersion: '5.6', timezone: 'Asia/Kolkata' },
    );
    expect(raw).toBe(
      '{"status": "SUCCESS", "result": {"at": {"__type__": "datetime", "__value__": "2024-01-02T03:04:05.678901"}, ' +
        '"n": {"__type__": "decimal", "__value__": "1.10"}}, "traceback": null, "children": null, ' +
        `"date_done": "2026-11-30T19:52:26.214000+05:30", "task_id": "${ID}"}`,
    );
    expect(decodeTaskMeta(ID, raw).result).toEqual(result);
  });

  it('keeps typed exception args through a copy', () => {
    const raw =
      '{"status": "FAILURE", "result": {"exc_type": "ValueError", "exc_message": ' +
      '[{"__type__": "decimal", "__value__": "0.1"}, {"__type__": "uuid", "__value__": {"hex": "12345678123456781234567812345678"}}], ' +
      `"exc_module": "builtins"}, "traceback": null, "children": null, "date_done": "2026-11-30T14:22:26.214184+00:00", "task_id": "${ID}"}`;
    const meta = decodeTaskMeta(ID, raw);
    expect(meta.error?.excArgs[0]).toEqual(new PyDecimal('0.1'));
    const copy = encodeTaskMeta(
      {
        taskId: ID,
        status: 'FAILURE',
        result: meta.error ?? undefined,
        dateDoneRaw: meta.dateDoneRaw,
      },
      { celeryVersion: '5.6' },
    );
    expect(copy).toBe(raw);
  });
});
