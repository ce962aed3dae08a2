/**
 * The typed Python values of kombu ≥ 5.3 JSON envelopes (kombu `utils/json.py`,
 * `_register_default_types`), as the same classes the pickle codec uses (`PyDateTime`,
 * `PyDate`, `PyTime`, `PyDecimal`, `PyUuid`; `bytes` as a `Buffer`): parsing the envelope text
 * and giving it back. kombu writes `isoformat()`, so parsing and formatting again gives the
 * stored text exactly (microseconds and offsets kept). Pure, no I/O.
 */
import {
  PyDate,
  PyDateTime,
  PyDecimal,
  PyTime,
  PyTimedelta,
  PyTimezone,
  PyUuid,
} from './pickle/python-values.js';

/** A typed value kombu writes as an envelope (bytes aside). @publicApi */
export type PyTypedValue = PyDateTime | PyDate | PyTime | PyDecimal | PyUuid;

/**
 * Everything a result may hold after reading: JSON values plus the typed Python values and
 * `Buffer` (Python `bytes`). `toPlain` turns it into plain JSON.
 * @publicApi
 */
export type PyJson =
  | string
  | number
  | bigint
  | boolean
  | null
  | PyTypedValue
  | Buffer
  | readonly PyJson[]
  | { readonly [key: string]: PyJson };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK =
  /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}|\d{6}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{6})?)?)?$/;
const DECIMAL =
  /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity|Inf|s?NaN\d*)$/i;

function malformed(type: string, text: unknown): TypeError {
  return new TypeError(
    `kombu envelope "${type}" has a malformed value ${JSON.stringify(text)}`,
  );
}

/** `+HH:MM[:SS[.ffffff]]` or `Z` as a fixed `PyTimezone`. */
function parseOffset(text: string): PyTimezone {
  if (text === 'Z') return new PyTimezone(new PyTimedelta(0, 0, 0));
  const h = Number(text.slice(1, 3));
  const m = Number(text.slice(4, 6));
  const s = text.length > 6 ? Number(text.slice(7)) : 0;
  const micros = Math.round(
    ((h * 60 + m) * 60 + s) * 1_000_000 * (text.startsWith('-') ? -1 : 1),
  );
  const days = Math.floor(micros / 86_400_000_000);
  const rest = micros - days * 86_400_000_000;
  return new PyTimezone(
    new PyTimedelta(days, Math.floor(rest / 1_000_000), rest % 1_000_000),
  );
}

/** The fields of a clock text (`time.fromisoformat`'s forms that kombu writes). */
interface Clock {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly micro: number;
  readonly tz: PyTimezone | null;
}

function clockParts(type: string, text: string): Clock {
  const m = CLOCK.exec(text);
  if (!m) throw malformed(type, text);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  if (hour > 23 || minute > 59 || second > 59) throw malformed(type, text);
  const fraction = m[4];
  const micro = fraction === undefined ? 0 : Number(fraction.padEnd(6, '0'));
  const tz = m[5] ? parseOffset(m[5]) : null;
  return { hour, minute, second, micro, tz };
}

/** Days of each month in a leap year: kombu's dates are checked as in the year 2000. */
const LEAP_YEAR_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The match of a `YYYY-MM-DD` text (groups 1..3), the day checked against its month. */
function dateMatch(type: string, text: string): RegExpExecArray {
  const m = DATE.exec(text);
  if (!m) throw malformed(type, text);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > LEAP_YEAR_DAYS[mo - 1])
    throw malformed(type, text);
  return m;
}

/** kombu's `datetime` envelope value (`datetime.fromisoformat`). @publicApi */
export function parsePyDateTime(text: unknown): PyDateTime {
  if (typeof text !== 'string' || !/^.{10}[T ]/.test(text))
    throw malformed('datetime', text);
  const d = dateMatch('datetime', text.slice(0, 10));
  const c = clockParts('datetime', text.slice(11));
  return new PyDateTime(
    Number(d[1]),
    Number(d[2]),
    Number(d[3]),
    c.hour,
    c.minute,
    c.second,
    c.micro,
    c.tz,
  );
}

/** kombu's `date` envelope value (`YYYY-MM-DD`). @publicApi */
export function parsePyDate(text: unknown): PyDate {
  if (typeof text !== 'string') throw malformed('date', text);
  const d = dateMatch('date', text);
  return new PyDate(Number(d[1]), Number(d[2]), Number(d[3]));
}

/** kombu's `time` envelope value (`time.fromisoformat`). @publicApi */
export function parsePyTime(text: unknown): PyTime {
  if (typeof text !== 'string') throw malformed('time', text);
  const c = clockParts('time', text);
  return new PyTime(c.hour, c.minute, c.second, c.micro, c.tz);
}

/** kombu's `decimal` envelope value (`str(Decimal)`), kept exactly. @publicApi */
export function parsePyDecimal(text: unknown): PyDecimal {
  if (typeof text !== 'string' || !DECIMAL.test(text))
    throw malformed('decimal', text);
  return new PyDecimal(text);
}

/** The kombu envelope `[__type__, __value__]` of a typed value, or `null` for anything else. @internal */
export function pyEnvelopeOf(value: object): [string, unknown] | null {
  if (value instanceof PyDateTime) return ['datetime', value.isoformat()];
  if (value instanceof PyDate) return ['date', value.isoformat()];
  if (value instanceof PyTime) return ['time', value.isoformat()];
  if (value instanceof PyDecimal) return ['decimal', value.text];
  if (value instanceof PyUuid) return ['uuid', { hex: value.hex }];
  return null;
}

/**
 * kombu 5.2's plain form of a typed value (`JSONEncoder.default` of kombu 5.2.4): a datetime's
 * isoformat with `+00:00` as `Z`, a date as the midnight datetime, others as `str()`.
 * @internal
 */
export function legacyText(type: string, envelopeValue: unknown): string {
  if (type === 'uuid')
    return new PyUuid((envelopeValue as { hex: string }).hex).toString();
  const text = String(envelopeValue);
  if (type === 'date') return `${text}T00:00:00`;
  if (type === 'datetime' && text.endsWith('+00:00'))
    return `${text.slice(0, -6)}Z`;
  return text;
}
