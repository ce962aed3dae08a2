/**
 * Tolerant JSON reader for what Python's `json.dumps` writes: bare `NaN`, `Infinity`,
 * `-Infinity`, and integers beyond 2^53 (kept exact as `bigint`). Pure, no I/O.
 */
import {
  checkNativeJson,
  MAX_JSON_DEPTH,
  tooDeepToParse,
} from './json-depth.guard.js';
import { scanJsonString } from './json-string.scanner.js';

/**
 * Non-enumerable property on objects decoded from text whose key order a JS object cannot
 * keep (integer-like keys such as `"10"` are always listed first by JS). It holds the keys
 * in stored order; `stringifyCeleryJson` honours it, so re-encoding gives the same bytes.
 * @publicApi
 */
export const PY_KEY_ORDER: unique symbol = Symbol.for(
  'nest-celery-result-backend.keyOrder',
);

/** A number token, JSON grammar. */
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
/** A JS array-index key, which JS objects always enumerate first. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/**
 * Parse JSON as Python's `json.loads` accepts it. Integers outside the safe range become
 * `bigint`; everything else decodes like `JSON.parse`. Throws a `SyntaxError` naming the
 * position on bad input, and a `JsonDepthError` for text nested deeper than
 * `MAX_JSON_DEPTH` (on both paths, whatever the call stack). Plain documents take the native
 * `JSON.parse` path (iterative in V8), checked by an iterative walk.
 * @publicApi
 */
export function parseCeleryJson(text: string): unknown {
  return parseCeleryJsonNoting(text).value;
}

/**
 * {@link parseCeleryJson}, also telling whether the value may hold a kombu envelope (an
 * object with two keys, one of them `__type__`, however the text spelled it); when false,
 * envelope decoding can be skipped. @internal
 */
export function parseCeleryJsonNoting(text: string): {
  value: unknown;
  mayHoldEnvelope: boolean;
} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // NaN/Infinity tokens or a real syntax error: the scanner says which.
    return new Scanner(text).noting();
  }
  const check = checkNativeJson(value);
  if (check === 'inexact') return new Scanner(text).noting();
  return { value, mayHoldEnvelope: check === 'envelope-keys' };
}

/**
 * Recursive-descent scanner, used only when the native parser cannot be trusted. Its depth
 * is counted, so it recurses at most `MAX_JSON_DEPTH` levels before a `JsonDepthError`.
 */
class Scanner {
  private pos = 0;
  private depth = 0;
  private envelopeKeys = false;

  constructor(private readonly text: string) {}

  noting(): { value: unknown; mayHoldEnvelope: boolean } {
    const value = this.document();
    return { value, mayHoldEnvelope: this.envelopeKeys };
  }

  document(): unknown {
    let value: unknown;
    try {
      value = this.value();
    } catch (err) {
      if (err instanceof RangeError) this.fail('JSON nested too deeply');
      throw err;
    }
    this.skipWhitespace();
    if (this.pos < this.text.length)
      this.fail('Unexpected data after the JSON value');
    return value;
  }

  private fail(message: string): never {
    throw new SyntaxError(`${message} at position ${this.pos}`);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
      c = text.charCodeAt(++this.pos);
  }

  private value(): unknown {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.nested(() => this.object());
      case 0x5b: // [
        return this.nested(() => this.array());
      case 0x22: // "
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      case 0x4e: // N
        return this.literal('NaN', NaN);
      case 0x49: // I
        return this.literal('Infinity', Infinity);
      case 0x2d: // -
        if (this.text.charCodeAt(this.pos + 1) === 0x49) {
          this.pos++;
          return -this.literal('Infinity', Infinity);
        }
        return this.number();
      default:
        if (c >= 0x30 && c <= 0x39) return this.number();
        return this.fail(
          Number.isNaN(c) ? 'Unexpected end of JSON input' : 'Unexpected token',
        );
    }
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_JSON_DEPTH) throw tooDeepToParse();
    const value = parse();
    this.depth--;
    return value;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('Unexpected token');
    this.pos += word.length;
    return value;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail('Invalid number');
    const token = match[0];
    this.pos += token.length;
    const n = Number(token);
    if (
      match[1] === undefined &&
      match[2] === undefined &&
      !Number.isSafeInteger(n)
    ) {
      return BigInt(token);
    }
    return n;
  }

  private string(): string {
    const { value, end } = scanJsonString(this.text, this.pos, (pos, msg) => {
      this.pos = pos;
      return this.fail(msg);
    });
    this.pos = end;
    return value;
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("Expected ',' or ']' after array element");
      }
    }
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    const keys: string[] = [];
    let hasIndexKey = false;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22)
        this.fail('Expected a property name');
      const key = this.string();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos++) !== 0x3a) {
        this.pos--;
        this.fail("Expected ':' after property name");
      }
      const value = this.value();
      if (!Object.hasOwn(out, key)) keys.push(key);
      if (INDEX_KEY.test(key) && Number(key) < 4294967295) hasIndexKey = true;
      if (key === '__proto__') {
        Object.defineProperty(out, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        out[key] = value;
      }
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) break;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("Expected ',' or '}' after property value");
      }
    }
    if (hasIndexKey) Object.defineProperty(out, PY_KEY_ORDER, { value: keys });
    if (keys.length === 2 && (keys[0] === '__type__' || keys[1] === '__type__'))
      this.envelopeKeys = true;
    return out;
  }
}
