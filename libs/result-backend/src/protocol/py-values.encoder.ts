/**
 * Writing typed values in the forms of a target kombu: the ≥ 5.3 envelopes, or kombu 5.2's
 * plain strings (`JSONEncoder.default` of kombu 5.2.4). Pure, no I/O.
 */
import { EnvelopeShapedValueError } from '../errors/envelope-shaped-value.error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `{"__type__": "<type>", "__value__": <value>}` as Python's json writes it. @internal */
export function envelope(type: string, valueJson: string): string {
  return `{"__type__": "${type}", "__value__": ${valueJson}}`;
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
