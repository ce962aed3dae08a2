/**
 * Incremental reader of memcached text-protocol replies (classic and meta), for a pipelined
 * connection: the caller says which reply shape the oldest pending request expects, and gets
 * the reply once all of its bytes have arrived.
 */

/** One item of a classic `get`/`gets` reply. @internal */
export interface McItem {
  readonly key: string;
  /** Client flags (pylibmc: 16 text, 4 integer, 0 bytes, 1 pickle, 8 zlib). */
  readonly flags: number;
  readonly data: Buffer;
}

/** A parsed reply. @internal */
export type McReply =
  /** One status line: `STORED`, `VERSION 1.6.18`, `DELETED` ... */
  | { readonly type: 'line'; readonly line: string }
  /** Classic retrieval: every `VALUE` block up to `END`. */
  | { readonly type: 'values'; readonly items: readonly McItem[] }
  /** Meta reply: two-letter code (`HD`, `VA`, `EN`, `NS`, `EX`, `NF`), flag tokens, data for `VA`. */
  | {
      readonly type: 'meta';
      readonly code: string;
      readonly tokens: readonly string[];
      readonly data: Buffer | null;
    };

/** Which reply a request expects. @internal */
export type McReplyShape = McReply['type'];

/** `ERROR`, `CLIENT_ERROR …` or `SERVER_ERROR …` from the server. @internal */
export class McServerReplyError extends Error {
  constructor(readonly line: string) {
    super(`memcached replied ${line}`);
    this.name = 'McServerReplyError';
  }
}

/** A reply we cannot parse: the connection is out of step and must be dropped. @internal */
export class McProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McProtocolError';
  }
}

const CRLF = Buffer.from('\r\n');

function isErrorLine(line: string): boolean {
  return (
    line === 'ERROR' ||
    line.startsWith('CLIENT_ERROR') ||
    line.startsWith('SERVER_ERROR')
  );
}

/** Buffers received bytes and cuts them into replies. @internal */
export class McReplyReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private items: McItem[] = [];
  /** Chunks held back while a large data block is incomplete (joined once, not per chunk). */
  private tail: Buffer[] = [];
  private tailBytes = 0;
  /** Bytes from `pos` the incomplete reply needs (0 = unknown). */
  private need = 0;

  /** Append received bytes. */
  push(chunk: Buffer): void {
    const have = this.buf.length - this.pos + this.tailBytes + chunk.length;
    if (have < this.need) {
      this.tail.push(chunk);
      this.tailBytes += chunk.length;
      return;
    }
    const rest =
      this.pos < this.buf.length ? [this.buf.subarray(this.pos)] : [];
    const parts = [...rest, ...this.tail, chunk];
    this.buf = parts.length === 1 ? chunk : Buffer.concat(parts);
    this.pos = 0;
    this.tail = [];
    this.tailBytes = 0;
    this.need = 0;
  }

  /** Drop everything (after the connection was lost). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    this.items = [];
    this.tail = [];
    this.tailBytes = 0;
    this.need = 0;
  }

  /**
   * The next complete reply of the given shape, a server error reply, or `undefined` when
   * more bytes are needed. Throws {@link McProtocolError} on bytes that fit no reply.
   */
  next(shape: McReplyShape): McReply | McServerReplyError | undefined {
    switch (shape) {
      case 'line': {
        const line = this.readLine();
        if (line === undefined) return undefined;
        return isErrorLine(line)
          ? new McServerReplyError(line)
          : { type: 'line', line };
      }
      case 'values':
        return this.nextValues();
      case 'meta':
        return this.nextMeta();
    }
  }

  private nextValues(): McReply | McServerReplyError | undefined {
    for (;;) {
      const start = this.pos;
      const line = this.readLine();
      if (line === undefined) return undefined;
      if (line === 'END') {
        const items = this.items;
        this.items = [];
        return { type: 'values', items };
      }
      if (isErrorLine(line)) {
        this.items = [];
        return new McServerReplyError(line);
      }
      // The key runs to the next ASCII space: U+00A0, U+2028, U+3000 … are key bytes.
      const m = /^VALUE ([^ ]+) (\d+) (\d+)(?: \d+)?$/.exec(line);
      if (!m)
        throw new McProtocolError(
          `unexpected reply line ${JSON.stringify(line.slice(0, 80))}`,
        );
      const data = this.readBlock(Number(m[3]));
      if (data === undefined) {
        this.need = this.pos - start + Number(m[3]) + 2;
        this.pos = start; // wait for the whole block, then re-read the header
        return undefined;
      }
      this.items.push({ key: m[1], flags: Number(m[2]), data });
    }
  }

  private nextMeta(): McReply | McServerReplyError | undefined {
    const start = this.pos;
    const line = this.readLine();
    if (line === undefined) return undefined;
    if (isErrorLine(line)) return new McServerReplyError(line);
    const parts = line.split(' ');
    const code = parts[0];
    if (!/^[A-Z]{2}$/.test(code))
      throw new McProtocolError(
        `unexpected meta reply ${JSON.stringify(line.slice(0, 80))}`,
      );
    if (code !== 'VA')
      return { type: 'meta', code, tokens: parts.slice(1), data: null };
    const size = Number(parts[1]);
    if (!Number.isSafeInteger(size) || size < 0)
      throw new McProtocolError(`bad VA size in ${JSON.stringify(line)}`);
    const data = this.readBlock(size);
    if (data === undefined) {
      this.need = this.pos - start + size + 2;
      this.pos = start;
      return undefined;
    }
    return { type: 'meta', code, tokens: parts.slice(2), data };
  }

  private readLine(): string | undefined {
    const end = this.buf.indexOf(CRLF, this.pos);
    if (end < 0) return undefined;
    const line = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 2;
    return line;
  }

  /** `size` data bytes plus CRLF, or undefined (position unchanged) when not all here yet. */
  private readBlock(size: number): Buffer | undefined {
    if (this.buf.length - this.pos < size + 2) return undefined;
    const data = Buffer.from(this.buf.subarray(this.pos, this.pos + size));
    if (
      this.buf[this.pos + size] !== 0x0d ||
      this.buf[this.pos + size + 1] !== 0x0a
    ) {
      throw new McProtocolError('data block not terminated by CRLF');
    }
    this.pos += size + 2;
    return data;
  }
}
