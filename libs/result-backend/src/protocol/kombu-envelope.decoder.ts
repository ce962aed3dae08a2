/**
 * Decoding of kombu ≥ 5.3 type envelopes `{"__type__": T, "__value__": V}` (spec §2.2) into
 * typed values (`PyDateTime`, `PyDate`, `PyTime`, `PyDecimal`, `PyUuid`, `Buffer`) that write
 * back as the same envelope. Pure, no I/O.
 */
import { PyUuid } from './pickle/python-values.js';
import {
  parsePyDate,
  parsePyDateTime,
  parsePyDecimal,
  parsePyTime,
} from './py-values.js';

type EnvelopeDecoder = (value: unknown) => unknown;

const HEX32 = /^[0-9a-f]{32}$/;

function requireString(type: string): (value: unknown) => string {
  return (value) => {
    if (typeof value !== 'string') {
      throw new TypeError(`kombu envelope "${type}" needs a string value`);
    }
    return value;
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(value: unknown): Buffer {
  const text = requireString('base64')(value);
  if (!BASE64.test(text) || text.length % 4 === 1)
    throw new TypeError('kombu envelope "base64" has a malformed value');
  return Buffer.from(text, 'base64');
}

/**
 * A UUID envelope value `{"hex": "…"}` (kombu 5.3.0 also wrote `"version"`) as a `PyUuid`. Like Python's `uuid.UUID(hex=…, version=…)`, a given version
 * overwrites the version and variant bits.
 */
function decodeUuid(value: unknown): PyUuid {
  const fields = value as { hex?: unknown; version?: unknown } | null;
  if (!fields || typeof fields !== 'object' || typeof fields.hex !== 'string') {
    throw new TypeError(
      'kombu envelope "uuid" needs {"hex": "<32 hex digits>"}',
    );
  }
  // kombu writes `uuid.hex` (32 lowercase digits), which the clean-up below leaves as is.
  let hex = HEX32.test(fields.hex)
    ? fields.hex
    : fields.hex
        .replace('urn:', '')
        .replace('uuid:', '')
        .replace(/^[{]+|[}]+$/g, '')
        .replaceAll('-', '')
        .toLowerCase();
  if (!HEX32.test(hex))
    throw new TypeError('kombu envelope "uuid" has a malformed hex value');
  const version = fields.version;
  if (version !== undefined && version !== null) {
    if (
      typeof version !== 'number' ||
      !Number.isInteger(version) ||
      version < 1 ||
      version > 5
    ) {
      throw new TypeError('kombu envelope "uuid" has an illegal version');
    }
    const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    hex = `${hex.slice(0, 12)}${version.toString(16)}${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
  }
  return new PyUuid(hex);
}

/**
 * What each kombu type becomes: typed values keeping the stored text (offsets, microseconds,
 * every Decimal digit), a `PyUuid`, and `Buffer` for both bytes forms (`bytes`: the UTF-8
 * text kombu stored; `base64`: non-UTF-8 bytes).
 */
const DECODERS: Readonly<Record<string, EnvelopeDecoder>> = {
  datetime: parsePyDateTime,
  date: parsePyDate,
  time: parsePyTime,
  decimal: parsePyDecimal,
  uuid: decodeUuid,
  bytes: (v) => Buffer.from(requireString('bytes')(v), 'utf8'),
  base64: decodeBase64,
};

/** `\uXXXX` escapes of the characters of `__type__` (`_`, `t`, `y`, `p`, `e`). */
const ESCAPED_TYPE_CHAR = /\\u00(?:5[fF]|7[049]|65)/;

/**
 * False when the JSON text `text` cannot hold a kombu envelope: no `"__type__"` key spelled
 * plainly, nor with `\uXXXX` escapes of its characters. Readers then skip the
 * {@link decodeKombuEnvelopes} walk (the result is the same; most documents hold no envelope).
 * @internal
 */
export function mayHoldKombuEnvelope(text: string): boolean {
  // `includes` is a plain substring search, several times faster than the regex on long text:
  // the regex runs only when an escape that could spell part of `__type__` is there at all.
  return (
    text.includes('"__type__"') ||
    (text.includes('\\u00') && ESCAPED_TYPE_CHAR.test(text))
  );
}

/**
 * Replace every object whose key set is exactly `{"__type__", "__value__"}` with its typed
 * value (innermost first, like kombu's `object_hook`); `toPlain` turns the result into plain
 * JSON values. Objects without envelopes are
 * returned as the same instances (nothing is copied). An unknown `__type__` or a bad value
 * throws a `TypeError` (kombu raises and the whole payload fails).
 * @publicApi
 */
export function decodeKombuEnvelopes(value: unknown): unknown {
  return decode(value, false);
}

/**
 * {@link decodeKombuEnvelopes} that replaces envelopes inside `value` itself instead of
 * copying the arrays and objects that hold them: only for a value its caller just parsed and
 * no one else holds. @internal
 */
export function decodeKombuEnvelopesInPlace(value: unknown): unknown {
  return decode(value, true);
}

function decode(value: unknown, inPlace: boolean): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = inPlace ? value : null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const decoded = decode(item, inPlace);
      if (decoded !== item) {
        out ??= value.slice();
        out[i] = decoded;
      }
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let out: Record<string, unknown> | null = inPlace ? obj : null;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const item = obj[key];
    const decoded = decode(item, inPlace);
    // `key` is an own property (even `__proto__`), so assigning sets it, not the prototype.
    if (decoded !== item) (out ??= copyObject(obj))[key] = decoded;
  }
  const result = out ?? obj;
  if (!isEnvelopeKeys(keys)) return result;
  const type = result.__type__;
  const decoder =
    typeof type === 'string' && Object.hasOwn(DECODERS, type)
      ? DECODERS[type]
      : undefined;
  if (!decoder)
    throw new TypeError(`Unknown kombu type envelope ${JSON.stringify(type)}`);
  return decoder(result.__value__);
}

/** True for the own keys of an envelope: exactly `__type__` and `__value__`. */
function isEnvelopeKeys(keys: readonly string[]): boolean {
  return (
    keys.length === 2 &&
    ((keys[0] === '__type__' && keys[1] === '__value__') ||
      (keys[0] === '__value__' && keys[1] === '__type__'))
  );
}

/** Shallow copy keeping own symbol properties (the recorded key order). */
function copyObject(obj: Record<string, unknown>): Record<string, unknown> {
  // Spread defines own data properties (an own `__proto__` key stays a key).
  const copy: Record<string, unknown> = { ...obj };
  for (const sym of Object.getOwnPropertySymbols(obj)) {
    const desc = Object.getOwnPropertyDescriptor(obj, sym);
    if (desc) Object.defineProperty(copy, sym, desc);
  }
  return copy;
}
