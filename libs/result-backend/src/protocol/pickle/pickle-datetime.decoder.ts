/**
 * Rebuilding `datetime`, `date`, `time` and `bytes` from their pickled arguments.
 */
import { PickleFormatError } from './pickle-input.decoder.js';
import { PyDate, PyDateTime, PyTime, PyTimezone } from './python-values.js';

/** An integer argument, else `PickleFormatError`. @internal */
export function int(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new PickleFormatError(`${what} must be an int`);
  return value;
}

/** The packed state bytes of a date/time (bytes, or Latin-1 text from protocols 0–2), else `null`. @internal */
export function stateBytes(value: unknown, size: number): Uint8Array | null {
  let bytes: Uint8Array | null = null;
  if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === 'string' && value.length === size)
    bytes = Uint8Array.from(value, (c) => c.charCodeAt(0) & 0xff);
  return bytes && bytes.length === size ? bytes : null;
}

/** Throw a `PickleFormatError` for a bad state unless `ok`. @internal */
export function check(ok: boolean, what: string): void {
  if (!ok) throw new PickleFormatError(`bad ${what} state`);
}

/** A `tzinfo` argument: a fixed-offset timezone, `null` for none, `undefined` for any other tzinfo. @internal */
export function tzArg(value: unknown): PyTimezone | null | undefined {
  if (value === undefined || value === null) return null;
  return value instanceof PyTimezone ? value : undefined;
}

/** `datetime.datetime(state[, tz])` or `(y, m, d, …[, tz])`; `undefined` for a tzinfo that is not a fixed offset. @internal */
export function makeDateTime(args: readonly unknown[]): PyDateTime | undefined {
  const tz = tzArg(args.length === 2 || args.length === 8 ? args.at(-1) : null);
  if (tz === undefined) return undefined;
  const b = stateBytes(args[0], 10);
  if (b) {
    const month = b[2] & 0x7f;
    const us = (b[7] << 16) | (b[8] << 8) | b[9];
    check(month >= 1 && month <= 12 && b[3] >= 1 && b[3] <= 31, 'datetime');
    check(b[4] < 24 && b[5] < 60 && b[6] < 60 && us < 1e6, 'datetime');
    return new PyDateTime(
      b[0] * 256 + b[1],
      month,
      b[3],
      b[4],
      b[5],
      b[6],
      us,
      tz,
      b[2] >> 7,
    );
  }
  const n = args.slice(0, 7).map((v, i) => int(v, `datetime field ${i}`));
  check(n.length >= 3, 'datetime');
  return new PyDateTime(
    n[0],
    n[1],
    n[2],
    n[3] ?? 0,
    n[4] ?? 0,
    n[5] ?? 0,
    n[6] ?? 0,
    tz,
  );
}

/** `datetime.time(state[, tz])`; `undefined` when it cannot be read exactly. @internal */
export function makeTime(args: readonly unknown[]): PyTime | undefined {
  const b = stateBytes(args[0], 6);
  const tz = tzArg(b ? args[1] : args[4]);
  if (tz === undefined) return undefined;
  if (!b) {
    const n = args.slice(0, 4).map((v, i) => int(v, `time field ${i}`));
    check(n[0] < 24 && (n[1] ?? 0) < 60 && (n[2] ?? 0) < 60, 'time');
    return new PyTime(n[0], n[1] ?? 0, n[2] ?? 0, n[3] ?? 0, tz);
  }
  const hour = b[0] & 0x7f;
  const us = (b[3] << 16) | (b[4] << 8) | b[5];
  check(hour < 24 && b[1] < 60 && b[2] < 60 && us < 1e6, 'time');
  return new PyTime(hour, b[1], b[2], us, tz, b[0] >> 7);
}

/** `datetime.date(state)` or `(y, m, d)`. @internal */
export function makeDate(args: readonly unknown[]): PyDate {
  const b = stateBytes(args[0], 4);
  if (b) {
    check(b[2] >= 1 && b[2] <= 12 && b[3] >= 1 && b[3] <= 31, 'date');
    return new PyDate(b[0] * 256 + b[1], b[2], b[3]);
  }
  return new PyDate(
    int(args[0], 'year'),
    int(args[1], 'month'),
    int(args[2], 'day'),
  );
}

/** `bytes`/`bytearray`/`_codecs.encode(text, "latin1")` arguments as bytes. @internal */
export function makeBytes(args: readonly unknown[]): Uint8Array {
  if (args.length === 0) return new Uint8Array(0);
  if (args[0] instanceof Uint8Array) return Uint8Array.from(args[0]);
  if (typeof args[0] === 'string') {
    const enc = (
      typeof args[1] === 'string' ? args[1] : 'latin1'
    ).toLowerCase();
    check(enc === 'latin1' || enc === 'latin-1', 'bytes encoding');
    return Uint8Array.from(args[0], (c) => {
      const code = c.charCodeAt(0);
      check(code < 256, 'latin-1 bytes');
      return code;
    });
  }
  throw new PickleFormatError('bad bytes arguments');
}
