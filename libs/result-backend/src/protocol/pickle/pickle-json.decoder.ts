/**
 * From Celery JSON back to Python values for pickling: every kombu ≥ 5.3 envelope becomes its
 * Python type (the inverse of `pickle-json.encoder.ts`).
 */
import { PickleFormatError } from './pickle-input.util.js';
import { MAX_DEPTH } from './pickle-json.encoder.js';
import * as py from './python-values.js';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2}(?::?\d{2}(?:\.\d{1,6})?)?)?$/;
const CLOCK =
  /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function offset(text: string | undefined): py.PyTimezone | null {
  if (!text) return null;
  if (text === 'Z') return new py.PyTimezone(new py.PyTimedelta(0, 0, 0));
  const m = /^([+-])(\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?$/.exec(text);
  if (!m) throw new PickleFormatError(`bad UTC offset ${text}`);
  const us =
    ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1e6 +
    Number((m[5] ?? '').padEnd(6, '0'));
  const total = m[1] === '-' ? -us : us;
  const days = Math.floor(total / 86_400e6);
  const rest = total - days * 86_400e6;
  return new py.PyTimezone(
    new py.PyTimedelta(days, Math.floor(rest / 1e6), rest % 1e6),
  );
}

function micro(text: string | undefined): number {
  return Number((text ?? '').padEnd(6, '0'));
}

function parseDateTime(text: string): py.PyDateTime {
  const m = ISO.exec(text);
  if (!m)
    throw new TypeError(
      `bad datetime text ${JSON.stringify(text.slice(0, 40))}`,
    );
  const n = (i: number): number => Number(m[i] ?? 0);
  return new py.PyDateTime(
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
    return new py.PyDate(d.year, d.month, d.day);
  },
  time: (v) => {
    const m = CLOCK.exec(String(v));
    if (!m)
      throw new TypeError(
        `bad time text ${JSON.stringify(String(v).slice(0, 40))}`,
      );
    return new py.PyTime(
      Number(m[1]),
      Number(m[2]),
      Number(m[3] ?? 0),
      micro(m[4]),
      offset(m[5]),
    );
  },
  decimal: (v) => new py.PyDecimal(String(v)),
  uuid: (v) => new py.PyUuid(String((v as { hex?: unknown } | null)?.hex ?? v)),
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
