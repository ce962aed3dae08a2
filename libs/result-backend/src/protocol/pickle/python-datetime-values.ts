/**
 * Inert JS values for Python's `datetime` types (`timedelta`, `timezone`, `date`, `time`,
 * `datetime`), with Python's `isoformat` text. Pure data.
 */

/** `00` to `99`: clock fields are written often, and a table beats number-to-text conversion. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) =>
  String(i).padStart(2, '0'),
);

/** `String(n).padStart(width, '0')`. */
function pad(n: number, width = 2): string {
  if (width === 2 && typeof n === 'number' && n >= 0 && n < 100 && n % 1 === 0)
    return TWO_DIGITS[n];
  return String(n).padStart(width, '0');
}

/** `+HH:MM[:SS[.ffffff]]` as Python's `isoformat` writes a UTC offset. */
function formatOffset(offsetMicros: number): string {
  const sign = offsetMicros < 0 ? '-' : '+';
  let rest = Math.abs(offsetMicros);
  const us = rest % 1_000_000;
  rest = (rest - us) / 1_000_000;
  const s = rest % 60;
  const m = ((rest - s) / 60) % 60;
  const h = Math.floor(rest / 3600);
  let out = `${sign}${pad(h)}:${pad(m)}`;
  if (s || us) out += `:${pad(s)}`;
  if (us) out += `.${pad(us, 6)}`;
  return out;
}

/** `HH:MM:SS[.ffffff][+HH:MM]` as Python's `time.isoformat()`, the offset when aware. */
function formatClock(t: PyClock): string {
  const base = `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  const clock = t.microsecond ? `${base}.${pad(t.microsecond, 6)}` : base;
  return t.tzinfo
    ? clock + formatOffset(t.tzinfo.offset.totalMicroseconds())
    : clock;
}

/** A Python `datetime.timedelta` (normalised like Python: `0 <= seconds < 86400`). @publicApi */
export class PyTimedelta {
  constructor(
    /** Days (may be negative). */
    readonly days: number,
    /** Seconds, 0..86399. */
    readonly seconds: number,
    /** Microseconds, 0..999999. */
    readonly microseconds: number,
  ) {}

  /** Whole duration in microseconds. */
  totalMicroseconds(): number {
    return (this.days * 86400 + this.seconds) * 1_000_000 + this.microseconds;
  }
}

/** A Python `datetime.timezone` (a fixed offset; `name` when one was given). @publicApi */
export class PyTimezone {
  constructor(
    /** Offset from UTC. */
    readonly offset: PyTimedelta,
    /** Explicit name given to `timezone(offset, name)`, else `null`. */
    readonly name: string | null = null,
  ) {}
}

/** A Python `datetime.date`. @publicApi */
export class PyDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}

  /** `YYYY-MM-DD`, as `date.isoformat()`. */
  isoformat(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }

  /** Plain JSON: the isoformat text (what `JSON.stringify` writes). */
  toJSON(): string {
    return this.isoformat();
  }
}

/**
 * A clock reading, what `time` and `datetime` share, in Python's argument order; `tzinfo` is
 * `null` when naive.
 */
abstract class PyClock {
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond: number,
    readonly tzinfo: PyTimezone | null = null,
    readonly fold = 0,
  ) {}
}

/** A Python `datetime.time`; `tzinfo` is `null` when naive. @publicApi */
export class PyTime extends PyClock {
  /** As `time.isoformat()`. */
  isoformat(): string {
    return formatClock(this);
  }

  /** Plain JSON: the isoformat text (what `JSON.stringify` writes). */
  toJSON(): string {
    return this.isoformat();
  }
}

/** A Python `datetime.datetime`; `tzinfo` is `null` when naive. Microseconds are kept. @publicApi */
export class PyDateTime extends PyClock {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    /** `hour, minute, second, microsecond[, tzinfo[, fold]]`, as for {@link PyTime}. */
    hour: number,
    minute: number,
    second: number,
    microsecond: number,
    tzinfo: PyTimezone | null = null,
    fold = 0,
  ) {
    // Explicit parameters, not a rest/spread pair: every decoded datetime is built here.
    super(hour, minute, second, microsecond, tzinfo, fold);
  }

  /** From a JS `Date`: aware UTC (`timezone.utc`), millisecond precision. */
  static fromDate(date: Date): PyDateTime {
    return new PyDateTime(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds() * 1000,
      new PyTimezone(new PyTimedelta(0, 0, 0)),
    );
  }

  /** As `datetime.isoformat()`: `YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]`. */
  isoformat(): string {
    const date = `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
    return `${date}T${formatClock(this)}`;
  }

  /** Plain JSON: the isoformat text (what `JSON.stringify` writes). */
  toJSON(): string {
    return this.isoformat();
  }

  /** A JS `Date` (milliseconds; a naive value is taken as UTC, as Celery's `date_done`). */
  toDate(): Date {
    const utc = Date.UTC(
      this.year,
      this.month - 1,
      this.day,
      this.hour,
      this.minute,
      this.second,
      Math.floor(this.microsecond / 1000),
    );
    const offsetMs = this.tzinfo
      ? Math.trunc(this.tzinfo.offset.totalMicroseconds() / 1000)
      : 0;
    const date = new Date(utc - offsetMs);
    if (this.year < 100) date.setUTCFullYear(this.year);
    return date;
  }
}
