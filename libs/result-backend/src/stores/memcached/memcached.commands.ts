/**
 * The memcached text and meta protocol commands the store sends, one function per command,
 * over one {@link McConnection}. Replies that are not the expected ones throw
 * `McServerReplyError` (the store turns it into a typed error), or `MalformedResultError` for a
 * value that is not a counter.
 */
import { MalformedResultError } from '../../errors/malformed-result.error.js';
import type { McConnection } from './memcached-connection.client.js';
import { describeReply, expectMeta } from './memcached.errors.js';
import { McServerReplyError, type McItem } from './memcached-reply.parser.js';

/** Keys per `get` command; a multi-get may hold several, pipelined in one write. */
const KEYS_PER_GET = 100;

/** One `get` line per 100 keys, all in one write; the items of the keys found. @internal */
export async function mcMultiGet(
  conn: McConnection,
  keys: readonly string[],
): Promise<McItem[]> {
  const commands: string[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_GET)
    commands.push(`get ${keys.slice(i, i + KEYS_PER_GET).join(' ')}\r\n`);
  const replies = await conn.request(
    commands.join(''),
    commands.map(() => 'values'),
  );
  return replies.flatMap((reply) => {
    if (reply instanceof McServerReplyError) throw reply;
    if (reply.type !== 'values')
      throw new McServerReplyError(`unexpected reply ${describeReply(reply)}`);
    return [...reply.items];
  });
}

/** `md`: delete; a missing key is fine. @internal */
export async function mcDelete(conn: McConnection, key: string): Promise<void> {
  const [reply] = await conn.request(`md ${key}\r\n`, ['meta']);
  expectMeta(reply, ['HD', 'NF']);
}

/**
 * `ma key N<exp> J1 T<exp> v`: Celery's `incr` plus `touch`, atomic. A missing counter is
 * created as 1, as if it had been 0 (Celery sets `"0"` when the chord is applied).
 * @internal
 */
export async function mcIncrement(
  conn: McConnection,
  key: string,
  exptime: number,
): Promise<number> {
  const [r] = await conn.request(`ma ${key} N${exptime} J1 T${exptime} v\r\n`, [
    'meta',
  ]);
  if (r instanceof McServerReplyError && r.line.startsWith('CLIENT_ERROR'))
    throw new MalformedResultError(key, `not a counter (${r.line})`);
  const n = Number(expectMeta(r, ['VA']).data?.toString('latin1'));
  if (!Number.isSafeInteger(n))
    throw new MalformedResultError(key, 'counter reply is not an integer');
  return n;
}

/** `version`: the server answers; returns the reply text when it is not `VERSION …`. @internal */
export async function mcVersionProblem(
  conn: McConnection,
): Promise<string | null> {
  const [reply] = await conn.request('version\r\n', ['line']);
  if (
    reply instanceof McServerReplyError ||
    reply.type !== 'line' ||
    !reply.line.startsWith('VERSION ')
  )
    return describeReply(reply);
  return null;
}
