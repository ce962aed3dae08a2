/**
 * Writing typed values in the forms of a target kombu: the ≥ 5.3 envelopes, or kombu 5.2's
 * plain strings (`JSONEncoder.default` of kombu 5.2.4). Pure, no I/O.
 */
import { EnvelopeShapedValueError } from '../errors/envelope-shaped-value.error.js';
import * as py from './pickle/python-values.js';
import { legacyText } from './py-values.js';
import { quotePythonString } from './python-string.encoder.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `{"__type__": "<type>", "__value__": <value>}` as Python's json writes it. @internal */
export function envelope(type: string, valueJson: string): string {
  return `{"__type__": "${type}", "__value__": ${valueJson}}`;
}

/**
 * A typed value (`PyDateTime`, `PyDate`, `PyTime`, `PyDecimal`, `PyUuid`) as JSON text: its
 * kombu ≥ 5.3 envelope when `kombuTagged`, else kombu 5.2's plain string (see `legacyText`);
 * `null` for any other object. `proto` is `value`'s prototype. The same text as writing
 * `pyEnvelopeOf`'s pair, without building it.
 * @internal
 */
export function typedValueJson(
  value: object,
  proto: unknown,
  kombuTagged: boolean,
): string | null {
  let type: string;
  let text: string;
  // The exact classes first (one comparison each), subclasses through `instanceof`.
  if (proto === py.PyDateTime.prototype || value instanceof py.PyDateTime) {
    type = 'datetime';
    text = (value as py.PyDateTime).isoformat();
  } else if (proto === py.PyDate.prototype || value instanceof py.PyDate) {
    type = 'date';
    text = (value as py.PyDate).isoformat();
  } else if (value instanceof py.PyTime) {
    type = 'time';
    text = value.isoformat();
  } else if (value instanceof py.PyDecimal) {
    type = 'decimal';
    text = value.text;
  } else if (value instanceof py.PyUuid) {
    return kombuTagged
      ? envelope('uuid', `{"hex": ${quotePythonString(value.hex)}}`)
      : quotePythonString(value.toString());
  } else {
    return null;
  }
  return kombuTagged
    ? envelope(type, quotePythonString(text))
    : quotePythonString(legacyText(type, text));
}

/**
 * kombu ≥ 5.3's `bytes` envelope: `["bytes", text]` for valid UTF-8, else `["base64", …]`.
 * @internal
 */
export function bytesEnvelope(
  bytes: ArrayBufferView | ArrayBuffer,
): [type: 'bytes' | 'base64', value: string] {
  const view =
    bytes instanceof ArrayBuffer
      ? new Uint8Array(bytes)
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return ['bytes', UTF8.decode(view)];
  } catch {
    return ['base64', Buffer.from(view).toString('base64')];
  }
}

/** True for a plain object Celery ≥ 5.3 would take for an envelope. @internal */
export function isEnvelopeShaped(obj: object): boolean {
  if (!Object.hasOwn(obj, '__type__') || !Object.hasOwn(obj, '__value__'))
    return false;
  const record = obj as Record<string, unknown>;
  if (record.__type__ === undefined || record.__value__ === undefined)
    return false;
  let defined = 0;
  for (const key of Object.keys(record))
    if (record[key] !== undefined) defined++;
  return defined === 2;
}

/**
 * The error for an envelope-shaped object found while writing `root`: finds its path
 * (depth first, only walked on this error path). @internal
 */
export function envelopeShapedError(
  root: unknown,
  target: object,
  rootName: string,
): EnvelopeShapedValueError {
  return new EnvelopeShapedValueError(
    findPath(root, target, rootName, new Set()) ?? rootName,
  );
}

function findPath(
  value: unknown,
  target: object,
  at: string,
  seen: Set<object>,
): string | null {
  if (value === target) return at;
  if (value === null || typeof value !== 'object' || seen.has(value))
    return null;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findPath(value[i], target, `${at}[${i}]`, seen);
      if (found) return found;
    }
    return null;
  }
  const entries =
    value instanceof Map
      ? [...(value as Map<unknown, unknown>).entries()]
      : Object.entries(value);
  for (const [key, item] of entries) {
    const name = String(key);
    const step = /^[A-Za-z_$][\w$]*$/.test(name)
      ? `.${name}`
      : `[${JSON.stringify(name)}]`;
    const found = findPath(item, target, at + step, seen);
    if (found) return found;
  }
  const args = (value as { args?: unknown }).args;
  if (value instanceof Error && Array.isArray(args))
    return findPath(args, target, `${at}.args`, seen);
  return null;
}
