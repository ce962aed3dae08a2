/**
 * `toPlain`: typed values of a decoded result as plain JSON values. Pure, no I/O.
 */
import { bytesEnvelope } from './py-values.encoder.js';
import { legacyText, pyEnvelopeOf } from './py-values.js';

/**
 * Plain JSON form of a decoded value, as results read before typed values existed:
 * `PyDateTime`/`PyDate`/`PyTime` → their isoformat text as stored, `PyDecimal` → its digits,
 * `PyUuid` → dashed lowercase text, bytes (`Buffer`, `Uint8Array`) → the UTF-8 text, or
 * base64 text when not valid UTF-8 (what kombu stored). Arrays and objects are copied only
 * where something changed; everything else (including `bigint`) is returned as is. Writing
 * the plain form loses the Python types (Celery then reads `str`).
 * @publicApi
 */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const typed = pyEnvelopeOf(value);
  if (typed)
    return typed[0] === 'uuid' ? legacyText(typed[0], typed[1]) : typed[1];
  if (ArrayBuffer.isView(value)) return bytesEnvelope(value)[1];
  if (Array.isArray(value)) {
    const items = value as unknown[];
    const mapped = items.map(toPlain);
    return mapped.some((v, i) => v !== items[i]) ? mapped : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(obj)) {
    const plain = toPlain(obj[key]);
    if (plain !== obj[key]) {
      out ??= { ...obj };
      out[key] = plain;
    }
  }
  return out ?? value;
}
