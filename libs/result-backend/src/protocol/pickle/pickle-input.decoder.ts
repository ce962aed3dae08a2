/**
 * Bounds-checked reading of pickle bytes. Every length is checked against the bytes left
 * before anything is allocated, so a hostile length fails at once.
 */

/** A pickle the reader refuses; the codec turns it into a `MalformedResultError`. @internal */
export class PickleFormatError extends Error {}

/** Sequential reader over pickle bytes. @internal */
export class PickleInput {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Current offset (for error messages). */
  get offset(): number {
    return this.pos;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number): number {
    if (n > this.remaining)
      throw new PickleFormatError(
        `truncated pickle: needs ${n} bytes at offset ${this.pos}, ${this.remaining} left`,
      );
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.need(1)];
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  /** 8-byte unsigned length; anything beyond the bytes left fails before allocation. */
  u64(): number {
    const big = this.view.getBigUint64(this.need(8), true);
    if (big > BigInt(this.remaining))
      throw new PickleFormatError(
        `length ${big} at offset ${this.pos - 8} exceeds the ${this.remaining} bytes left`,
      );
    return Number(big);
  }

  f64be(): number {
    return this.view.getFloat64(this.need(8), false);
  }

  take(n: number): Uint8Array {
    if (n < 0) throw new PickleFormatError(`negative length at ${this.pos}`);
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  /** A newline-terminated ASCII line (protocol 0 arguments), newline dropped. */
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0)
      throw new PickleFormatError(
        `truncated pickle: no newline after offset ${this.pos}`,
      );
    const text = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
}

/** Bytes as Latin-1 text (one char per byte). @internal */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192)
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding (Python's `surrogatepass` pickles of lone surrogates fail here). @internal */
export function utf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new PickleFormatError('string is not valid UTF-8');
  }
}

/** Little-endian two's complement bytes as a bigint (`LONG1`/`LONG4`). @internal */
export function decodeLong(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--)
    hex += bytes[i].toString(16).padStart(2, '0');
  let n = BigInt(`0x${hex}`);
  if (bytes[bytes.length - 1] & 0x80) n -= 1n << BigInt(bytes.length * 8);
  return n;
}

/** A bigint as a number when it is a safe integer. @internal */
export function narrowInt(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) &&
    n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n;
}
