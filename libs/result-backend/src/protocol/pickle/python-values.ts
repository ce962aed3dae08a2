/**
 * Inert JS values for the Python objects the pickle codec knows by name (`datetime.*`,
 * `decimal.Decimal`, `uuid.UUID`, exceptions) and for every other object it meets. Pure data:
 * no Python name is ever looked up or called. The `datetime` types live in
 * `python-datetime-values.ts` and are exported from here too.
 */
export {
  PyDate,
  PyDateTime,
  PyTime,
  PyTimedelta,
  PyTimezone,
} from './python-datetime-values.js';

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
