/**
 * The bridge between pickled values and the library's Celery JSON documents: typed Python
 * values travel as kombu ≥ 5.3 `{"__type__", "__value__"}` envelopes, which the JSON reader
 * already understands, and come back as the same Python types when pickled again.
 */
import { PickleFormatError, utf8 } from './pickle-input.util.js';
import { PyAsyncResult, PyGroupResult } from './celery-result-values.js';
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
} from './python-values.js';

/** Key of the plain-JSON form of an `UnknownPythonObject`: `{"__python_object__": "mod.Name", "args": …}`. @publicApi */
export const PYTHON_OBJECT_KEY = '__python_object__';

const MAX_DEPTH = 1000;
const MAX_NODES = 1_000_000;
const TOO_BIG = 'pickled value expands beyond 1,000,000 nodes';

function envelope(type: string, value: unknown): Record<string, unknown> {
  return { __type__: type, __value__: value };
}

/** Base64 without Buffer (the protocol core is runtime-neutral). */
function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** A Celery result as its JSON tuple (`[[id, parent], members]` for groups). */
function resultTuple(r: PyAsyncResult | PyGroupResult): unknown {
  const parent =
    r instanceof PyAsyncResult && r.parent ? resultTuple(r.parent) : null;
  const head = [r.id, parent];
  return r instanceof PyGroupResult
    ? [head, r.results.map(resultTuple)]
    : [head, null];
}

/** An exception record as Celery's exception dict (spec §5). */
function exceptionDict(
  module: string,
  name: string,
  args: readonly unknown[] | null,
  conv: (v: unknown) => unknown,
): Record<string, unknown> {
  return {
    exc_type: name,
    exc_message: (args ?? []).map(conv),
    exc_module: module,
  };
}

/**
 * Convert what `loadsPickle` returned to a value `stringifyCeleryJson` writes: sets and
 * tuples become lists, bytes the kombu `bytes` (UTF-8) or `base64` envelope, datetimes,
 * dates, times, `Decimal` and `UUID` their kombu envelopes, a `timedelta` its seconds as a
 * float (kombu has no form for it), exceptions Celery's exception dict. With
 * `exceptionState` (FAILURE/RETRY/REVOKED documents) an `UnknownPythonObject` made by a call
 * is read as a custom exception (`exc_module`/`exc_type` from its global, `exc_message`
 * its args); otherwise it becomes `{"__python_object__": "mod.Name", "args": […]}`. Cycles,
 * nesting beyond 1000 levels and shared references expanding beyond 1,000,000 nodes throw a
 * `TypeError`.
 * @publicApi
 */
export function pythonToCeleryJson(
  value: unknown,
  options?: { exceptionState?: boolean },
): unknown {
  let nodes = 0;
  const active = new Set<object>();
  const conv = (v: unknown, depth: number, top: boolean): unknown => {
    if (++nodes > MAX_NODES)
      throw new TypeError('pickled value expands beyond 1,000,000 nodes');
    if (depth > MAX_DEPTH)
      throw new TypeError('pickled value nested too deeply');
    if (typeof v !== 'object' || v === null) return v;
    if (active.has(v)) throw new TypeError('pickled value is recursive');
    active.add(v);
    try {
      const inner = (x: unknown): unknown => conv(x, depth + 1, false);
      if (Array.isArray(v) || v instanceof Set) {
        const items: unknown[] = Array.isArray(v) ? v : [...v];
        nodes += items.length;
        if (nodes > MAX_NODES) throw new TypeError(TOO_BIG);
        const out = items.slice();
        for (let i = 0; i < out.length; i++)
          if (typeof out[i] === 'object' && out[i] !== null)
            out[i] = inner(out[i]);
        return out;
      }
      if (v instanceof Uint8Array) {
        try {
          return envelope('bytes', utf8(v));
        } catch {
          return envelope('base64', toBase64(v));
        }
      }
      if (v instanceof PyDateTime) return envelope('datetime', v.isoformat());
      if (v instanceof PyDate) return envelope('date', v.isoformat());
      if (v instanceof PyTime) return envelope('time', v.isoformat());
      if (v instanceof PyDecimal) return envelope('decimal', v.text);
      if (v instanceof PyUuid) return envelope('uuid', { hex: v.hex });
      if (v instanceof PyTimedelta) return v.totalMicroseconds() / 1e6;
      if (v instanceof PyTimezone) return v.offset.totalMicroseconds() / 1e6;
      if (v instanceof PyAsyncResult || v instanceof PyGroupResult)
        return resultTuple(v);
      if (v instanceof PyException)
        return exceptionDict(v.module, v.name, v.args, inner);
      if (v instanceof UnknownPythonObject) {
        if (top && options?.exceptionState && v.args)
          return exceptionDict(v.module, v.name, v.args, inner);
        const out: Record<string, unknown> = {
          [PYTHON_OBJECT_KEY]: v.qualifiedName,
        };
        if (v.args) out.args = v.args.map(inner);
        if (v.kwargs) out.kwargs = inner(v.kwargs);
        if (v.state !== null) out.state = inner(v.state);
        if (v.listItems) out.items = inner(v.listItems);
        if (v.dictItems) out.items = inner(v.dictItems);
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        Object.defineProperty(out, key, {
          value: inner((v as Record<string, unknown>)[key]),
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      active.delete(v);
    }
  };
  return conv(value, 0, true);
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2}(?::?\d{2}(?:\.\d{1,6})?)?)?$/;
const CLOCK =
  /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function offset(text: string | undefined): PyTimezone | null {
  if (!text) return null;
  if (text === 'Z') return new PyTimezone(new PyTimedelta(0, 0, 0));
  const m = /^([+-])(\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?$/.exec(text);
  if (!m) throw new PickleFormatError(`bad UTC offset ${text}`);
  const us =
    ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1e6 +
    Number((m[5] ?? '').padEnd(6, '0'));
  const total = m[1] === '-' ? -us : us;
  const days = Math.floor(total / 86_400e6);
  const rest = total - days * 86_400e6;
  return new PyTimezone(
    new PyTimedelta(days, Math.floor(rest / 1e6), rest % 1e6),
  );
}

function micro(text: string | undefined): number {
  return Number((text ?? '').padEnd(6, '0'));
}

function parseDateTime(text: string): PyDateTime {
  const m = ISO.exec(text);
  if (!m)
    throw new TypeError(
      `bad datetime text ${JSON.stringify(text.slice(0, 40))}`,
    );
  const n = (i: number): number => Number(m[i] ?? 0);
  return new PyDateTime(
    n(1),
    n(2),
    n(3),
    n(4),
    n(5),
    n(6),
    micro(m[7]),
    offset(m[8]),
  );
}

const FROM_ENVELOPE: Readonly<Record<string, (v: unknown) => unknown>> = {
  datetime: (v) => parseDateTime(String(v)),
  date: (v) => {
    const d = parseDateTime(String(v));
    return new PyDate(d.year, d.month, d.day);
  },
  time: (v) => {
    const m = CLOCK.exec(String(v));
    if (!m)
      throw new TypeError(
        `bad time text ${JSON.stringify(String(v).slice(0, 40))}`,
      );
    return new PyTime(
      Number(m[1]),
      Number(m[2]),
      Number(m[3] ?? 0),
      micro(m[4]),
      offset(m[5]),
    );
  },
  decimal: (v) => new PyDecimal(String(v)),
  uuid: (v) => new PyUuid(String((v as { hex?: unknown } | null)?.hex ?? v)),
  bytes: (v) => new TextEncoder().encode(String(v)),
  base64: (v) => Uint8Array.from(atob(String(v)), (c) => c.charCodeAt(0)),
};

/**
 * The inverse of {@link pythonToCeleryJson} for values parsed from Celery JSON (envelopes not
 * yet decoded): every kombu envelope becomes its Python type, so `dumpsPickle` writes a real
 * `datetime`, `Decimal`, `UUID` or `bytes`. Other values are returned as they are (objects
 * are copied only where something changed). A malformed envelope throws a `TypeError`.
 * @publicApi
 */
export function celeryJsonToPython(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) throw new TypeError('value nested too deeply');
  if (Array.isArray(value))
    return value.map((v) => celeryJsonToPython(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 2 && '__type__' in obj && '__value__' in obj) {
    const type = obj.__type__;
    const decode =
      typeof type === 'string' && Object.hasOwn(FROM_ENVELOPE, type)
        ? FROM_ENVELOPE[type]
        : undefined;
    if (decode) return decode(obj.__value__);
  }
  let out: Record<string, unknown> | null = null;
  for (const key of keys) {
    const next = celeryJsonToPython(obj[key], depth + 1);
    if (next !== obj[key]) {
      out ??= { ...obj };
      Object.defineProperty(out, key, {
        value: next,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return out ?? obj;
}
