/**
 * A small protocol-4 pickle writer for result columns: plain data plus the allow-listed
 * Python types. It never writes a global outside that list, so a pickle it writes can only
 * rebuild data in Python.
 */
import { PY_KEY_ORDER } from '../celery-json.parser.js';
import { envelopeShapedError, isEnvelopeShaped } from '../py-values.encoder.js';
import { PYTHON_BUILTIN_EXCEPTIONS } from '../python-builtins.constants.js';
import { OP } from './pickle-opcodes.constants.js';
import { PyAsyncResult, PyGroupResult } from './celery-result-values.js';
import { PickleOutput, encodeLong } from './pickle-output.encoder.js';
import * as py from './python-values.js';

const MAX_DEPTH = 1000;
const UTF8 = new TextEncoder();

/**
 * Write `value` as a protocol-4 pickle that Python's `pickle.loads` reads back as: `null` →
 * `None`, booleans, integral numbers → `int`, other numbers → `float`, `bigint` → `int`,
 * strings → `str`, `Uint8Array`/`Buffer` → `bytes`, arrays → `list`, plain objects → `dict`
 * (stored key order kept), `Set` → `set`, `Date` → aware UTC `datetime`, the `Py*` classes →
 * their Python types, a `PyException` of a builtin class → that exception. An
 * `UnknownPythonObject` or an exception of another class is never written as a global: it
 * throws a `TypeError`, as do functions, symbols, cycles and nesting beyond 1000 levels. A
 * plain object whose keys are exactly `__type__` and `__value__` throws an
 * `EnvelopeShapedValueError` naming its path, as the JSON writer does: it would read back as
 * a kombu envelope (use the typed values to write a `datetime`, `Decimal`, …).
 * @publicApi
 */
export function dumpsPickle(value: unknown): Uint8Array {
  const w = new Writer(value);
  w.out.byte(OP.PROTO, 4);
  w.write(value, 0);
  w.out.byte(OP.STOP);
  return w.out.result();
}

class Writer {
  readonly out = new PickleOutput();
  private readonly active = new Set<object>();

  constructor(private readonly root: unknown) {}

  private str(s: string): void {
    const data = UTF8.encode(s);
    if (data.length < 256) this.out.byte(OP.SHORT_BINUNICODE, data.length);
    else {
      this.out.byte(OP.BINUNICODE);
      this.out.u32(data.length);
    }
    this.out.bytes(data);
  }

  private int(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0 && n < 256)
      return this.out.byte(OP.BININT1, n);
    if (typeof n === 'number' && n >= -0x80000000 && n <= 0x7fffffff) {
      this.out.byte(OP.BININT);
      return this.out.u32(n >>> 0);
    }
    const data = encodeLong(BigInt(n));
    if (data.length < 256) this.out.byte(OP.LONG1, data.length);
    else {
      this.out.byte(OP.LONG4);
      this.out.u32(data.length);
    }
    this.out.bytes(data);
  }

  private float(n: number): void {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, n, false);
    this.out.byte(OP.BINFLOAT);
    this.out.bytes(new Uint8Array(b.buffer));
  }

  private global(module: string, name: string): void {
    this.str(module);
    this.str(name);
    this.out.byte(OP.STACK_GLOBAL);
  }

  /** `module.name(*args)` via `REDUCE`; only called with allow-listed globals. */
  private call(
    module: string,
    name: string,
    args: readonly unknown[],
    depth: number,
  ): void {
    this.global(module, name);
    this.out.byte(OP.MARK);
    for (const arg of args) this.write(arg, depth + 1);
    this.out.byte(OP.TUPLE, OP.REDUCE);
  }

  write(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH)
      throw new TypeError('value nested too deeply to pickle');
    switch (typeof value) {
      case 'undefined':
        return this.out.byte(OP.NONE);
      case 'boolean':
        return this.out.byte(value ? OP.NEWTRUE : OP.NEWFALSE);
      case 'number':
        return Number.isSafeInteger(value) && !Object.is(value, -0)
          ? this.int(value)
          : this.float(value);
      case 'bigint':
        return this.int(value);
      case 'string':
        return this.str(value);
      case 'object':
        if (value === null) return this.out.byte(OP.NONE);
        if (this.active.has(value))
          throw new TypeError('cannot pickle a cyclic value');
        this.active.add(value);
        try {
          this.object(value, depth);
        } finally {
          this.active.delete(value);
        }
        return;
      default:
        throw new TypeError(`cannot pickle a ${typeof value}`);
    }
  }

  private object(value: object, depth: number): void {
    const d = depth + 1;
    if (value instanceof Uint8Array) {
      this.out.byte(OP.BINBYTES);
      this.out.u32(value.length);
      return this.out.bytes(value);
    }
    if (Array.isArray(value)) {
      this.out.byte(OP.EMPTY_LIST, OP.MARK);
      for (const item of value as unknown[]) this.write(item, d);
      return this.out.byte(OP.APPENDS);
    }
    if (value instanceof Set) {
      this.out.byte(OP.EMPTY_SET, OP.MARK);
      for (const item of value) this.write(item, d);
      return this.out.byte(OP.ADDITEMS);
    }
    if (value instanceof Date)
      return this.object(py.PyDateTime.fromDate(value), depth);
    if (this.typed(value, d)) return;
    if (
      value instanceof py.UnknownPythonObject ||
      value instanceof py.PyException
    )
      throw new TypeError(
        `refusing to pickle the Python global ${value.module}.${value.name}`,
      );
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError(`cannot pickle a ${value.constructor.name}`);
    if (isEnvelopeShaped(value))
      throw envelopeShapedError(this.root, value, '$');
    const obj = value as Record<string, unknown>;
    const order = (obj as { [PY_KEY_ORDER]?: unknown })[PY_KEY_ORDER];
    const keys = Array.isArray(order)
      ? [
          ...(order as string[]).filter((k) => Object.hasOwn(obj, k)),
          ...Object.keys(obj).filter((k) => !(order as string[]).includes(k)),
        ]
      : Object.keys(obj);
    this.out.byte(OP.EMPTY_DICT, OP.MARK);
    for (const key of keys) {
      if (obj[key] === undefined) continue;
      this.str(key);
      this.write(obj[key], d);
    }
    this.out.byte(OP.SETITEMS);
  }

  /** The allow-listed Python types; false when `value` is none of them. */
  private typed(value: object, d: number): boolean {
    if (value instanceof py.PyDateTime) {
      const args = [
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
      ];
      args.push(value.second, value.microsecond);
      this.call(
        'datetime',
        'datetime',
        value.tzinfo ? [...args, value.tzinfo] : args,
        d,
      );
    } else if (value instanceof py.PyDate) {
      this.call('datetime', 'date', [value.year, value.month, value.day], d);
    } else if (value instanceof py.PyTime) {
      const args = [value.hour, value.minute, value.second, value.microsecond];
      this.call(
        'datetime',
        'time',
        value.tzinfo ? [...args, value.tzinfo] : args,
        d,
      );
    } else if (value instanceof py.PyTimedelta) {
      this.call(
        'datetime',
        'timedelta',
        [value.days, value.seconds, value.microseconds],
        d,
      );
    } else if (value instanceof py.PyTimezone) {
      this.call(
        'datetime',
        'timezone',
        value.name ? [value.offset, value.name] : [value.offset],
        d,
      );
    } else if (value instanceof py.PyDecimal) {
      this.call('decimal', 'Decimal', [value.text], d);
    } else if (value instanceof py.PyUuid) {
      this.call('uuid', 'UUID', [value.hex], d);
    } else if (value instanceof PyAsyncResult) {
      this.call(
        'celery.result',
        'AsyncResult',
        value.parent ? [value.id, null, null, null, value.parent] : [value.id],
        d,
      );
    } else if (value instanceof PyGroupResult) {
      this.call('celery.result', 'GroupResult', [value.id, value.results], d);
    } else if (
      value instanceof py.PyException &&
      value.module === 'builtins' &&
      PYTHON_BUILTIN_EXCEPTIONS.has(value.name)
    ) {
      this.call('builtins', value.name, value.args, d);
    } else return false;
    return true;
  }
}
