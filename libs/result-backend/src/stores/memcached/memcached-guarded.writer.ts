/**
 * Writes with the meta protocol (`ms`), so each write returns its CAS token and the next
 * guarded write of the same key can be a compare-and-swap in one round trip.
 *
 * Round trips per write:
 * - unguarded: 1 (`ms key … c`);
 * - guarded, key missing and no token: 1 (`ms … ME`, add mode);
 * - guarded, our token still current (the usual STARTED → SUCCESS of one writer): 1 (`ms … C<token>`);
 * - guarded, after our own SUCCESS: 1 (`mg` shows SUCCESS: kept, nothing written);
 * - guarded, someone else wrote in between: 3 (`ms` refused, `mg` to look, `ms … C<their token>`),
 *   repeated only while others keep winning the race. A stored SUCCESS stops the loop: kept.
 */
import type { WriteOutcome } from '../result-store.interface.js';
import type { McConnection } from './memcached-connection.client.js';
import { McServerReplyError, type McReply } from './memcached-reply.parser.js';
import { PYLIBMC_FLAG_TEXT } from './memcached.codec.js';
import { isSuccessDocument } from '../../protocol/task-meta.decoder.js';
import { describeReply, type McMetaReply } from './memcached.errors.js';

/** What we last knew of a key: its CAS token and whether the value behind it is SUCCESS. @internal */
export interface CasEntry {
  readonly cas: string;
  readonly success: boolean;
  /** Connection generation the token was read on (tokens die with their connection). */
  readonly gen: number;
}

/** Bounded map of the last CAS token we saw per key. @internal */
export class CasTokens {
  private readonly map = new Map<string, CasEntry>();
  constructor(private readonly max = 10_000) {}
  /** The token, unless it was read on an earlier connection (the server may have restarted). */
  get(key: string, gen: number): CasEntry | undefined {
    const entry = this.map.get(key);
    if (entry && entry.gen !== gen) this.map.delete(key);
    return entry?.gen === gen ? entry : undefined;
  }
  set(
    key: string,
    cas: string | undefined,
    success: boolean,
    gen: number,
  ): void {
    this.map.delete(key);
    if (cas === undefined || cas === '0') return;
    this.map.set(key, { cas, success, gen });
    if (this.map.size > this.max)
      this.map.delete(this.map.keys().next().value as string);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** Gives up after this many lost races in a row (each loss means another writer progressed). */
const MAX_ATTEMPTS = 100;

/** Thrown when a write keeps losing races. @internal */
export class McContentionError extends Error {}

function token(reply: McReply, flag = 'c'): string | undefined {
  if (reply.type !== 'meta') return undefined;
  return reply.tokens.find((t) => t.startsWith(flag))?.slice(1);
}

async function one(conn: McConnection, payload: Buffer): Promise<McReply> {
  const [reply] = await conn.request(payload, ['meta']);
  if (reply instanceof McServerReplyError) throw reply;
  return reply;
}

function msCommand(
  key: string,
  data: Buffer,
  exptime: number,
  mode: string,
): Buffer {
  const head = `ms ${key} ${data.length} T${exptime} F${PYLIBMC_FLAG_TEXT} c${mode ? ` ${mode}` : ''}\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), data, Buffer.from('\r\n')]);
}

/**
 * One write of `data` under `key` (`exptime` in memcached's form) on `conn`, keeping the
 * key's CAS token in `tokens` current: the store picks {@link plainWrite} or
 * {@link guardedWrite}. @internal
 */
export type McWrite = (
  conn: McConnection,
  key: string,
  data: Buffer,
  exptime: number,
  tokens: CasTokens,
) => Promise<WriteOutcome>;

/** `ms` that overwrites whatever is there; remembers the new token. @internal */
export const plainWrite: McWrite = async (conn, key, data, exptime, tokens) => {
  const reply = await one(conn, msCommand(key, data, exptime, ''));
  if (reply.type !== 'meta' || reply.code !== 'HD')
    throw new McServerReplyError(describeReply(reply));
  return written(key, data, reply, conn, tokens);
};

/** Remember the CAS token of what we just wrote. */
function written(
  key: string,
  data: Buffer,
  reply: McMetaReply,
  conn: McConnection,
  tokens: CasTokens,
): WriteOutcome {
  tokens.set(
    key,
    token(reply),
    isSuccessDocument(data.toString('utf8')),
    conn.generation,
  );
  return 'written';
}

/** Write unless the stored document is SUCCESS, safe against concurrent writers. @internal */
export const guardedWrite: McWrite = async (
  conn,
  key,
  data,
  exptime,
  tokens,
) => {
  const known = tokens.get(key, conn.generation);
  let cas = known?.cas;
  let casGen = conn.generation;
  // Our token says the value is our own SUCCESS: a CAS would replace it, so look first.
  let look = known?.success === true;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (look) {
      const current = await one(conn, Buffer.from(`mg ${key} v c\r\n`, 'utf8'));
      if (current.type !== 'meta')
        throw new McServerReplyError(describeReply(current));
      look = false;
      if (current.code === 'EN') {
        cas = undefined; // deleted or expired meanwhile: add
        continue;
      }
      cas = token(current);
      casGen = conn.generation;
      if (current.data && isSuccessDocument(current.data.toString('utf8'))) {
        tokens.set(key, cas, true, casGen);
        return 'kept-success';
      }
    }
    if (cas !== undefined && casGen !== conn.generation) {
      look = true; // reconnected since the token was read: it may name another item
      continue;
    }
    const reply = await one(
      conn,
      msCommand(key, data, exptime, cas === undefined ? 'ME' : `C${cas}`),
    );
    if (reply.type !== 'meta')
      throw new McServerReplyError(describeReply(reply));
    if (reply.code === 'HD') return written(key, data, reply, conn, tokens);
    if (reply.code === 'NF') {
      cas = undefined; // our token's item is gone: add
      continue;
    }
    if (reply.code !== 'NS' && reply.code !== 'EX')
      throw new McServerReplyError(describeReply(reply));
    look = true; // someone else wrote it: see what is there
  }
  throw new McContentionError(
    `gave up writing ${key} after ${MAX_ATTEMPTS} lost races`,
  );
};
