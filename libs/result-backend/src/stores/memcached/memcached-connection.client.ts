/**
 * One pipelined text-protocol connection to one memcached server: requests are written in
 * order and their replies are matched in order. Connects lazily, fails every pending request
 * when the socket breaks or a reply is overdue, and reconnects on the next request after a
 * short pause (so a dead server costs no connect attempt per request).
 */
import type { HostPort } from '../../config/host-port.interface.js';
import { Socket } from 'node:net';
import {
  McProtocolError,
  McReplyReader,
  McServerReplyError,
  type McReply,
  type McReplyShape,
} from './memcached-reply.parser.js';

/** Slice size of large writes, bytes. */
const WRITE_SLICE = 1024 * 1024;

/** Timing of a connection. @internal */
export interface McConnectionOptions {
  /**
   * Silence that fails the connection, ms: no byte of the oldest pending reply for this long
   * after its request was fully sent (or no connect). Bytes arriving restart it, so a large
   * value that keeps streaming never times out, whatever its size.
   */
  readonly timeoutMs: number;
  /** After a failure, requests fail at once for this long before a reconnect is tried, ms. */
  readonly retryDelayMs: number;
}

/** The server could not be reached or the connection broke. @internal */
export class McConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'McConnectionError';
  }
}

interface Pending {
  readonly shape: McReplyShape;
  /** When its request was fully handed to the kernel (a large payload takes a while). */
  sentAt: number;
  readonly resolve: (reply: McReply | McServerReplyError) => void;
  readonly reject: (err: Error) => void;
}

/** A pipelined connection to one server. @internal */
export class McConnection {
  private socket: Socket | null = null;
  private readonly reader = new McReplyReader();
  private readonly pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private downUntil = 0;
  /** Whether the current socket finished connecting. */
  private connected = false;
  private lastError = '';
  private closed = false;
  private corked = false;
  private gen = 0;
  /** When the last reply bytes arrived (or the write queue last shrank). */
  private lastDataAt = 0;
  private lastQueued = 0;

  constructor(
    readonly server: HostPort,
    private readonly options: McConnectionOptions,
  ) {}

  /**
   * Bumped each time the socket is dropped. A CAS token is only valid for the generation it
   * was read on: after a reconnect the server may have restarted, and memcached restarts its
   * CAS counter at 1, so an old token could match a new item.
   */
  get generation(): number {
    return this.gen;
  }

  /** `host:port`, for messages. */
  get address(): string {
    return `${this.server.host}:${this.server.port}`;
  }

  /**
   * Send one or more pipelined commands (`payload`, complete with data blocks) and resolve with
   * one reply per entry of `shapes`, in order. Server error replies (`CLIENT_ERROR` …) come
   * back as {@link McServerReplyError} entries, not as a rejection; the promise rejects with
   * {@link McConnectionError} when the connection fails.
   */
  request(
    payload: Buffer | string,
    shapes: readonly McReplyShape[],
  ): Promise<(McReply | McServerReplyError)[]> {
    if (this.closed)
      return Promise.reject(
        new McConnectionError(`connection to ${this.address} is closed`),
      );
    if (Date.now() < this.downUntil) {
      return Promise.reject(
        new McConnectionError(
          `${this.address} is down (${this.lastError}); retrying shortly`,
        ),
      );
    }
    const socket = this.ensureSocket();
    const sentAt = Date.now();
    const size = payload.length;
    const large = typeof payload !== 'string' && size > WRITE_SLICE;
    const entries: Pending[] | null = large ? [] : null;
    const replies = shapes.map(
      (shape) =>
        new Promise<McReply | McServerReplyError>((resolve, reject) => {
          const entry: Pending = { shape, sentAt, resolve, reject };
          entries?.push(entry);
          this.pending.push(entry);
        }),
    );
    // Requests issued in the same tick leave in one segment.
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    if (!entries || typeof payload === 'string') socket.write(payload);
    else {
      // Large payloads go in 1 MiB slices, so the silence timer sees the write progress, and
      // their replies are awaited from when the last slice was handed to the kernel. (Small
      // requests leave with the next tick's uncork: no per-write callback on the hot path.)
      const flushed = (): void => {
        const now = Date.now();
        for (const e of entries) e.sentAt = now;
      };
      for (let i = 0; i < size; i += WRITE_SLICE) {
        const last = i + WRITE_SLICE >= size;
        socket.write(
          payload.subarray(i, i + WRITE_SLICE),
          last ? flushed : undefined,
        );
      }
    }
    this.armTimer();
    return Promise.all(replies);
  }

  /** Close the socket and fail whatever is pending. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fail(new McConnectionError(`connection to ${this.address} closed`));
  }

  private ensureSocket(): Socket {
    if (this.socket) return this.socket;
    const socket = new Socket();
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (err) => this.onBroken(socket, err.message, err));
    socket.on('close', () =>
      this.onBroken(socket, 'connection closed by the server'),
    );
    this.connected = false;
    socket.once('connect', () => {
      if (socket === this.socket) this.connected = true;
    });
    socket.connect(this.server.port, this.server.host);
    return socket;
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    this.lastDataAt = Date.now();
    this.reader.push(chunk);
    try {
      while (this.pending.length > 0) {
        const reply = this.reader.next(this.pending[0].shape);
        if (reply === undefined) break;
        (this.pending.shift() as Pending).resolve(reply);
      }
    } catch (err) {
      this.onBroken(socket, (err as McProtocolError).message, err);
    }
  }

  private onBroken(socket: Socket, reason: string, cause?: unknown): void {
    if (socket !== this.socket) return;
    this.lastError = reason;
    // An idle connection the server dropped (restart, idle timeout) is simply reopened by the
    // next request; a failed connect or a failure with requests in flight pauses the server.
    if (!this.connected || this.pending.length > 0) {
      this.downUntil = Date.now() + this.options.retryDelayMs;
    }
    this.fail(new McConnectionError(`${this.address}: ${reason}`, { cause }));
  }

  private fail(err: McConnectionError): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) this.gen++;
    socket?.destroy();
    this.reader.reset();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const p of this.pending.splice(0)) p.reject(err);
  }

  /** One timer for the oldest pending request; re-armed for the next one when it fires early. */
  private armTimer(): void {
    if (this.timer || this.pending.length === 0) return;
    const since = (): number =>
      Math.max(this.pending[0].sentAt, this.lastDataAt);
    const wait = Math.max(0, since() + this.options.timeoutMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      const head = this.pending[0];
      if (!head || !this.socket) return;
      // A large request still being written counts as progress while its queue shrinks.
      const queued = this.socket.writableLength;
      if (queued !== this.lastQueued) this.lastDataAt = Date.now();
      this.lastQueued = queued;
      if (Date.now() - since() >= this.options.timeoutMs) {
        this.onBroken(
          this.socket,
          `no reply within ${this.options.timeoutMs} ms`,
        );
      } else {
        this.armTimer();
      }
    }, wait);
    this.timer.unref();
  }
}
