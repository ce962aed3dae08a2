/**
 * JSON writer byte-identical to Python's `json.dumps` defaults as kombu 5.2 calls it.
 * Pure, no I/O.
 */
import { PY_KEY_ORDER } from './celery-json.parser.js';
import { formatDateDone } from './date-done.js';
import { MAX_JSON_DEPTH, tooDeepToWrite } from './json-depth.guard.js';
import {
  bytesEnvelope,
  envelope,
  envelopeShapedError,
  isEnvelopeShaped,
  typedValueJson,
} from './py-values.encoder.js';
import { formatPythonNumber } from './python-number.encoder.js';
import { quotePythonString } from './python-string.encoder.js';

export { quotePythonString };

/** Options of {@link stringifyCeleryJson}. @publicApi */
export interface CeleryJsonWriteOptions {
  /**
   * Write kombu ≥ 5.3 envelopes (Celery 5.3+): a `Date` as `{"__type__": "datetime",
   * "__value__": "…+00:00"}`, typed values (`PyDateTime`, `PyDecimal`, …) as their envelope,
   * bytes (`Buffer`, any `ArrayBuffer` view) as `bytes`/`base64` envelopes. Default false:
   * kombu 5.2's forms (Celery 5.2.6): a `Date` as `"…Z"`, typed values as their text, bytes
   * refused.
   */
  readonly kombuTagged?: boolean;
  /** Name of the value in `EnvelopeShapedValueError` paths. Default `$`. */
  readonly path?: string;
}

function notSerializable(typeName: string): TypeError {
  return new TypeError(`Object of type ${typeName} is not JSON serializable`);
}

/**
 * Encode like Celery 5.2.6 (Python `json.dumps` defaults through kombu 5.2): separators
 * `", "` and `": "`, ASCII-only output, Python float repr, bare `NaN`/`Infinity`, `bigint` as
 * digits, `Date` as an aware-UTC isoformat string ending in `Z`, `toJSON()` honoured,
 * `undefined` properties left out (`null` in arrays), `Map` as an object. Sets, bytes,
 * functions, symbols and cycles throw a `TypeError`, as Celery refuses them. With
 * `kombuTagged`, Celery 5.3+ forms: dates, typed values and bytes as kombu envelopes. A plain
 * object shaped like an envelope (keys exactly `__type__`, `__value__`) throws an
 * `EnvelopeShapedValueError` naming its path, in both forms. A value nested deeper than
 * `MAX_JSON_DEPTH` objects/arrays throws a `JsonDepthError` (Python raises `RecursionError`
 * near the same depth).
 * @publicApi
 */
export function stringifyCeleryJson(
  value: unknown,
  options?: CeleryJsonWriteOptions,
): string {
  return new Writer(
    options?.kombuTagged === true,
    0,
    value,
    options?.path ?? '$',
  ).encode(value);
}

/**
 * A writer for the fields of one document: each {@link CeleryJsonWriter.field} call writes a
 * value `depth` levels inside it (a task meta's fields are at depth 1), so the depth limit
 * counts from the top of the document. One writer serves all fields of a document.
 * @internal
 */
export function celeryJsonWriter(
  kombuTagged: boolean,
  depth: number,
): CeleryJsonWriter {
  return new Writer(kombuTagged, depth, undefined, '$');
}

/** What {@link celeryJsonWriter} gives. @internal */
export interface CeleryJsonWriter {
  /** `value` as JSON text; `path` names it in `EnvelopeShapedValueError` paths. */
  field(value: unknown, path: string): string;
}

class Writer implements CeleryJsonWriter {
  /** The objects being written, outermost first (the ancestors of the current value). */
  private readonly ancestors: object[] = [];

  constructor(
    private readonly kombuTagged: boolean,
    private depth: number,
    private root: unknown,
    private rootName: string,
  ) {}

  field(value: unknown, path: string): string {
    this.root = value;
    this.rootName = path;
    return this.encode(value);
  }

  encode(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return quotePythonString(value);
      case 'number':
        return formatPythonNumber(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'bigint':
        return value.toString();
      case 'undefined':
        return 'null';
      case 'object':
        return value === null ? 'null' : this.encodeObject(value);
      default:
        throw notSerializable(typeof value);
    }
  }

  /**
   * A cycle is not looked for on every object: it always runs into the depth limit, and only
   * there are the ancestors searched, to tell a cycle from a deep value. A thrown error ends
   * the writer's use, so the stack is not unwound on errors.
   */
  private encodeObject(value: object): string {
    if (this.depth >= MAX_JSON_DEPTH) {
      if (this.ancestors.includes(value))
        throw new TypeError('Circular reference detected');
      throw tooDeepToWrite();
    }
    this.ancestors.push(value);
    this.depth++;
    const text = this.encodeObjectBody(value);
    this.depth--;
    this.ancestors.pop();
    return text;
  }

  private encodeObjectBody(value: object): string {
    if (Array.isArray(value)) return this.encodeArray(value as unknown[]);
    const proto: unknown = Object.getPrototypeOf(value);
    // Plain objects (most of every document) skip the class checks below: none can match.
    if (proto === Object.prototype || proto === null)
      return this.encodeRecord(value as Record<string, unknown>);
    // Typed values before `Date` (no value is both): they are the common class instances.
    const typed = typedValueJson(value, proto, this.kombuTagged);
    if (typed !== null) return typed;
    if (value instanceof Date) return this.encodeDate(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      if (!this.kombuTagged) throw notSerializable('bytes');
      const [type, text] = bytesEnvelope(value);
      return envelope(type, quotePythonString(text));
    }
    if (value instanceof Set) throw notSerializable('set');
    if (value instanceof Map) return this.encodeMap(value);
    if (
      value instanceof Number ||
      value instanceof String ||
      value instanceof Boolean ||
      value instanceof BigInt
    ) {
      return this.encode(value.valueOf());
    }
    return this.encodeRecord(value as Record<string, unknown>);
  }

  private encodeArray(items: unknown[]): string {
    if (items.length === 0) return '[]';
    let out = `[${this.encode(items[0])}`;
    for (let i = 1; i < items.length; i++) out += `, ${this.encode(items[i])}`;
    return `${out}]`;
  }

  /** An object written through its `toJSON()`, else as a dict of its own keys. */
  private encodeRecord(obj: Record<string, unknown>): string {
    const toJSON = obj.toJSON;
    if (typeof toJSON === 'function') return this.encode(toJSON.call(obj, ''));
    if (isEnvelopeShaped(obj))
      throw envelopeShapedError(this.root, obj, this.rootName);
    const order = (obj as { [PY_KEY_ORDER]?: unknown })[PY_KEY_ORDER];
    if (Array.isArray(order))
      return this.encodeEntries(orderedEntries(obj, order as string[]));
    let out = '{';
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = obj[key];
      if (item === undefined) continue;
      out += `${out.length === 1 ? '' : ', '}${quotePythonString(key)}: ${this.encode(item)}`;
    }
    return `${out}}`;
  }

  private encodeDate(date: Date): string {
    const iso = formatDateDone(date);
    return this.kombuTagged
      ? `{"__type__": "datetime", "__value__": "${iso}+00:00"}`
      : `"${iso}Z"`;
  }

  private encodeMap(map: Map<unknown, unknown>): string {
    if (map.size === 2 && map.has('__type__') && map.has('__value__'))
      throw envelopeShapedError(this.root, map, this.rootName);
    const entries: [string, unknown][] = [];
    for (const [key, item] of map) entries.push([mapKey(key), item]);
    return this.encodeEntries(entries);
  }

  private encodeEntries(entries: Iterable<[string, unknown]>): string {
    const parts: string[] = [];
    for (const [key, item] of entries) {
      if (item === undefined) continue;
      parts.push(`${quotePythonString(key)}: ${this.encode(item)}`);
    }
    return `{${parts.join(', ')}}`;
  }
}

/** Own enumerable entries in the stored Python order the parser recorded; new keys last. */
function orderedEntries(
  obj: Record<string, unknown>,
  order: readonly string[],
): [string, unknown][] {
  const keys = Object.keys(obj);
  const present = new Set(keys);
  const ordered = order.filter((k) => present.has(k));
  const seen = new Set(ordered);
  for (const k of keys) if (!seen.has(k)) ordered.push(k);
  return ordered.map((k) => [k, obj[k]]);
}

/** A `Map` key as Python converts dict keys: str as is, numbers, bool, None; else error. */
function mapKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return formatPythonNumber(key);
  if (typeof key === 'bigint') return key.toString();
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key === null || key === undefined) return 'null';
  throw new TypeError(
    `keys must be str, int, float, bool or None, not ${typeof key}`,
  );
}
