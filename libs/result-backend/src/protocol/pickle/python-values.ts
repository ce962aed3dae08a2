/**
 * Inert JS values for the Python objects the pickle codec knows by name (`datetime.*`,
 * `decimal.Decimal`, `uuid.UUID`, exceptions) and for every other object it meets. Pure data:
 * no Python name is ever looked up or called.
 */

function pad(n: number, width = 2): string {
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

/** `HH:MM:SS[.ffffff]` as Python's `time.isoformat()`. */
function formatClock(h: number, m: number, s: number, us: number): string {
  const base = `${pad(h)}:${pad(m)}:${pad(s)}`;
  return us ? `${base}.${pad(us, 6)}` : base;
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

/** A Python `datetime.time`; `tzinfo` is `null` when naive. @publicApi */
export class PyTime {
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond: number,
    readonly tzinfo: PyTimezone | null = null,
    readonly fold = 0,
  ) {}

  /** As `time.isoformat()`. */
  isoformat(): string {
    const clock = formatClock(
      this.hour,
      this.minute,
      this.second,
      this.microsecond,
    );
    return this.tzinfo
      ? clock + formatOffset(this.tzinfo.offset.totalMicroseconds())
      : clock;
  }

  /** Plain JSON: the isoformat text (what `JSON.stringify` writes). */
  toJSON(): string {
    return this.isoformat();
  }
}

/** A Python `datetime.datetime`; `tzinfo` is `null` when naive. Microseconds are kept. @publicApi */
export class PyDateTime {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond: number,
    readonly tzinfo: PyTimezone | null = null,
    readonly fold = 0,
  ) {}

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
    const clock = formatClock(
      this.hour,
      this.minute,
      this.second,
      this.microsecond,
    );
    const offset = this.tzinfo
      ? formatOffset(this.tzinfo.offset.totalMicroseconds())
      : '';
    return `${date}T${clock}${offset}`;
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

/** A Python `decimal.Decimal`, kept as its exact text (`str(d)`). @publicApi */
export class PyDecimal {
  constructor(
    /** `str(d)`, e.g. `1.10`, `-0`, `NaN`, `1E+2`. */
    readonly text: string,
  ) {}

  /** `str(d)`. */
  toString(): string {
    return this.text;
  }

  /** Plain JSON: the `str()` text (what `JSON.stringify` writes). */
  toJSON(): string {
    return this.toString();
  }
}

/** A Python `uuid.UUID`. @publicApi */
export class PyUuid {
  /** 32 lowercase hex digits. */
  readonly hex: string;

  constructor(value: string | bigint) {
    const hex =
      typeof value === 'bigint'
        ? value.toString(16).padStart(32, '0')
        : value.replaceAll('-', '').toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(hex))
      throw new TypeError(`not a UUID: ${String(value).slice(0, 60)}`);
    this.hex = hex;
  }

  /** Dashed lowercase text, as `str(u)`. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** Plain JSON: the `str()` text (what `JSON.stringify` writes). */
  toJSON(): string {
    return this.toString();
  }
}

/**
 * A Python exception object met in a pickle (a builtin exception class, one from
 * `celery.exceptions`, or Celery's `UnpickleableExceptionWrapper`). Names are data only.
 * @publicApi
 */
export class PyException {
  constructor(
    /** Module of the class, e.g. `builtins`. */
    readonly module: string,
    /** Class name, e.g. `ValueError`. */
    readonly name: string,
    /** `exc.args`. */
    readonly args: readonly unknown[],
    /** Instance state set by `BUILD` (`__dict__`), or `null`. */
    public state: unknown = null,
  ) {}
}

/**
 * Any other Python object: a global outside the allow-list, the result of calling it
 * (`REDUCE`/`NEWOBJ`/`INST`/`OBJ`) or a bare reference to it. Inert: the codec records the
 * module, name, arguments and state and never imports or calls anything.
 * @publicApi
 */
export class UnknownPythonObject {
  constructor(
    /** Module name, e.g. `os`. */
    readonly module: string,
    /** Qualified name in the module, e.g. `system`. */
    readonly name: string,
    /** Positional arguments of the call, or `null` for a bare reference to the global. */
    readonly args: readonly unknown[] | null,
    /** Keyword arguments (`NEWOBJ_EX`) or `null`. */
    readonly kwargs: Readonly<Record<string, unknown>> | null = null,
    /** State set by `BUILD`, or `null`. */
    public state: unknown = null,
  ) {}

  /** Items a `__reduce__` appended (`APPENDS` on the object, e.g. a `deque`), or `null`. */
  listItems: unknown[] | null = null;
  /** Items a `__reduce__` set (`SETITEMS` on the object, e.g. an `OrderedDict`), or `null`. */
  dictItems: Record<string, unknown> | null = null;

  /** `module.name`. */
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}
