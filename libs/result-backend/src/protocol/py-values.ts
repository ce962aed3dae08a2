/**
 * Values that carry their Python type: what kombu ≥ 5.3 stores as `{"__type__": T,
 * "__value__": V}` envelopes (kombu `utils/json.py`, `_register_default_types`). Reading keeps
 * the stored text exactly (microseconds, offsets, every Decimal digit), so writing the value
 * back gives the same envelope. `bytes` read as a Node `Buffer`. Pure, no I/O.
 */
import { isoFormatUtc, parseDateDone } from './date-done.js';

/** The kombu envelope type names of {@link PyValue} classes. @publicApi */
export type PyTypeName = 'datetime' | 'date' | 'time' | 'decimal' | 'uuid';

/**
 * Base of the typed Python values. `toJSON()` gives the plain JSON text (kombu 5.2's form,
 * `str()` in Python), so `JSON.stringify` of a result holding them works; `toString()` is the
 * same text.
 * @publicApi
 */
export abstract class PyValue {
  /** The kombu envelope type (`__type__`). */
  abstract readonly pyType: PyTypeName;
  /** The text kept from the envelope: isoformat for dates and times, digits for Decimal. */
  readonly text: string;
  protected constructor(text: string) {
    this.text = text;
  }
  /** The envelope's `__value__` (text, or `{"hex": …}` for a UUID). @internal */
  envelopeValue(): unknown {
    return this.text;
  }
  /** Plain JSON form: what kombu 5.2 and `str()` give. */
  toJSON(): string {
    return this.text;
  }
  /** Same as {@link toJSON}. */
  toString(): string {
    return this.toJSON();
  }
}

const DATETIME =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME =
  /^\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$/;
const DECIMAL =
  /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity|Inf|s?NaN\d*)$/i;

function checked(type: PyTypeName, text: unknown, pattern: RegExp): string {
  if (typeof text !== 'string' || !pattern.test(text)) {
    throw new TypeError(
      `kombu envelope "${type}" has a malformed value ${JSON.stringify(text)}`,
    );
  }
  return text;
}

/**
 * Python `datetime`: the isoformat text as stored (`2024-01-02T03:04:05.678901+02:00`; no
 * offset = naive). Throws a `TypeError` for text Python's `fromisoformat` could not read.
 * @publicApi
 */
export class PyDateTime extends PyValue {
  readonly pyType = 'datetime';
  constructor(isoformat: string) {
    super(checked('datetime', isoformat, DATETIME));
  }
  /** A JS `Date` as Python writes an aware UTC datetime (`…T…[.ffffff]+00:00`). */
  static fromDate(date: Date): PyDateTime {
    return new PyDateTime(`${isoFormatUtc(date)}+00:00`);
  }
  /** True when no offset is stored (Python: naive datetime). */
  get naive(): boolean {
    return this.offset === null;
  }
  /** The stored offset (`+02:00`, `Z`), or `null` for a naive datetime. */
  get offset(): string | null {
    return /(Z|[+-]\d{2}:\d{2}(?::[\d.]+)?)$/.exec(this.text)?.[1] ?? null;
  }
  /** Microseconds 0..999999 (JS `Date` keeps only milliseconds). */
  get microsecond(): number {
    const m = /:\d{2}\.(\d{1,6})/.exec(this.text);
    return m ? Number((m[1] ?? '').padEnd(6, '0')) : 0;
  }
  /** The instant as a JS `Date` (milliseconds; naive counts as UTC, like Celery's `date_done`). */
  toDate(): Date {
    const date = parseDateDone(this.text);
    if (!date)
      throw new TypeError(`Cannot represent ${this.text} as a JS Date`);
    return date;
  }
}

/** Python `date`: `YYYY-MM-DD`. @publicApi */
export class PyDate extends PyValue {
  readonly pyType = 'date';
  constructor(isoformat: string) {
    super(checked('date', isoformat, DATE));
  }
  /** Midnight UTC of that day. */
  toDate(): Date {
    return new Date(`${this.text}T00:00:00Z`);
  }
}

/** Python `time`: `HH:MM:SS[.ffffff][+HH:MM]` as stored. @publicApi */
export class PyTime extends PyValue {
  readonly pyType = 'time';
  constructor(isoformat: string) {
    super(checked('time', isoformat, TIME));
  }
}

/**
 * Python `Decimal`, exact: the digits as `str(Decimal)` wrote them (`"1.10"` keeps its zero).
 * @publicApi
 */
export class PyDecimal extends PyValue {
  readonly pyType = 'decimal';
  constructor(digits: string) {
    super(checked('decimal', digits, DECIMAL));
  }
  /** The nearest JS number (may lose digits beyond double precision). */
  toNumber(): number {
    return Number(this.text.replace(/^([+-]?)Inf(inity)?$/i, '$1Infinity'));
  }
}

const HEX32 = /^[0-9a-f]{32}$/;

/** Python `UUID`, kept as dashed lowercase text; kombu stores `{"hex": "<32 digits>"}`. @publicApi */
export class PyUUID extends PyValue {
  readonly pyType = 'uuid';
  /** `value`: 32 hex digits, with or without dashes, braces or a `urn:uuid:` prefix. */
  constructor(value: string) {
    super(PyUUID.canonical(value));
  }
  private static canonical(value: string): string {
    const hex = String(value)
      .replace(/^urn:uuid:/i, '')
      .replace(/^[{]+|[}]+$/g, '')
      .replaceAll('-', '')
      .toLowerCase();
    if (!HEX32.test(hex))
      throw new TypeError(`Malformed UUID ${JSON.stringify(value)}`);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  /** The 32 hex digits (Python `uuid.hex`). */
  get hex(): string {
    return this.text.replaceAll('-', '');
  }
  override envelopeValue(): unknown {
    return { hex: this.hex };
  }
}

/**
 * Everything a result may hold after reading: JSON values plus the typed Python values and
 * `Buffer` (Python `bytes`). Use {@link toPlain} for plain JSON.
 * @publicApi
 */
export type PyJson =
  | string
  | number
  | bigint
  | boolean
  | null
  | PyValue
  | Buffer
  | readonly PyJson[]
  | { readonly [key: string]: PyJson };
