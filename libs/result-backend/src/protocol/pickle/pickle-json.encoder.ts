/**
 * From pickled values to the library's Celery JSON documents: typed Python values travel as
 * kombu ≥ 5.3 `{"__type__", "__value__"}` envelopes, which the JSON reader already
 * understands (`pickle-json.decoder.ts` turns them back into Python types for pickling).
 */
import { isEnvelopeShaped } from '../py-values.encoder.js';
import { utf8 } from './pickle-input.decoder.js';
import { PyAsyncResult, PyGroupResult } from './celery-result-values.js';
import * as py from './python-values.js';

/** Key of the plain-JSON form of an `UnknownPythonObject`: `{"__python_object__": "mod.Name", "args": …}`. @publicApi */
export const PYTHON_OBJECT_KEY = '__python_object__';

/** Deepest nesting converted. @internal */
export const MAX_DEPTH = 1000;
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

/** Options of {@link pythonToCeleryJson}. @publicApi */
export interface PythonToCeleryJsonOptions {
  /** The value is the result of a FAILURE/RETRY/REVOKED task (custom exceptions read as such). */
  readonly exceptionState?: boolean;
  /**
   * Keep the codec's typed values as they are (`PyDateTime`, `PyDate`, `PyTime`, `PyDecimal`,
   * `PyUuid`; bytes as a `Buffer`) instead of writing kombu envelope objects: what a decoded
   * Celery 5.6 document holds. Default false (envelope objects).
   */
  readonly typed?: boolean;
}

/**
 * Convert what `loadsPickle` returned to a value `stringifyCeleryJson` writes: sets and
 * tuples become lists, bytes the kombu `bytes` (UTF-8) or `base64` envelope, datetimes,
 * dates, times, `Decimal` and `UUID` their kombu envelopes (with `typed`: the typed values
 * themselves, bytes a `Buffer`), a `timedelta` its seconds as a float (kombu has no form for
 * it), exceptions Celery's exception dict. With `exceptionState` (FAILURE/RETRY/REVOKED
 * documents) an `UnknownPythonObject` made by a call is read as a custom exception
 * (`exc_module`/`exc_type` from its global, `exc_message` its args); otherwise it becomes
 * `{"__python_object__": "mod.Name", "args": […]}`. A pickled dict whose keys are exactly
 * `__type__` and `__value__` throws a `TypeError` (in Celery JSON it would read as a kombu
 * envelope, so it has no faithful form), as do cycles, nesting beyond 1000 levels and shared
 * references expanding beyond 1,000,000 nodes.
 * @publicApi
 */
export function pythonToCeleryJson(
  value: unknown,
  options?: PythonToCeleryJsonOptions,
): unknown {
  const typed = options?.typed === true;
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
        if (typed) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        try {
          return envelope('bytes', utf8(v));
        } catch {
          return envelope('base64', toBase64(v));
        }
      }
      if (
        typed &&
        (v instanceof py.PyDateTime ||
          v instanceof py.PyDate ||
          v instanceof py.PyTime ||
          v instanceof py.PyDecimal ||
          v instanceof py.PyUuid)
      )
        return v;
      if (v instanceof py.PyDateTime)
        return envelope('datetime', v.isoformat());
      if (v instanceof py.PyDate) return envelope('date', v.isoformat());
      if (v instanceof py.PyTime) return envelope('time', v.isoformat());
      if (v instanceof py.PyDecimal) return envelope('decimal', v.text);
      if (v instanceof py.PyUuid) return envelope('uuid', { hex: v.hex });
      if (v instanceof py.PyTimedelta) return v.totalMicroseconds() / 1e6;
      if (v instanceof py.PyTimezone) return v.offset.totalMicroseconds() / 1e6;
      if (v instanceof PyAsyncResult || v instanceof PyGroupResult)
        return resultTuple(v);
      if (v instanceof py.PyException)
        return exceptionDict(v.module, v.name, v.args, inner);
      if (v instanceof py.UnknownPythonObject) {
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
      if (isEnvelopeShaped(v))
        throw new TypeError(
          'a pickled dict with exactly the keys __type__ and __value__ would read as a kombu envelope',
        );
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
