import type { Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { firstEvent } from './redis-client.factory.js';
import {
  permanentRedisError,
  redisConfigurationError,
} from './redis-reply.errors.js';

/** How {@link pingRedisClient} judges the connection. @internal */
export interface RedisPingOptions {
  /** Whether the connection was ever ready (after that, only 'ready' counts as up). */
  readonly everReady: boolean;
  readonly timeoutMs: number;
  /** Masked description for the error. */
  readonly description: string;
  /** The last connection error, named (and kept as the cause) while reconnecting. */
  readonly lastError?: Error | null;
}

/**
 * PING on a live connection, without opening a new one. Rejects with BackendUnavailableError
 * at once while the connection is reconnecting (a PING would only sit queued), on the first
 * connection error while it is first being opened, and when no PONG comes within the timeout.
 * @internal
 */
export async function pingRedisClient(
  client: Pick<Redis, 'status' | 'ping' | 'once' | 'off'>,
  opts: RedisPingOptions,
): Promise<void> {
  const { description, timeoutMs } = opts;
  const status = client.status;
  const firstConnect =
    !opts.everReady &&
    (status === 'wait' || status === 'connecting' || status === 'connect');
  if (status !== 'ready' && !firstConnect) {
    const last = opts.lastError;
    throw new BackendUnavailableError(
      description,
      `connection is ${status}${last ? ` (last error: ${last.message})` : ''}`,
      last ? { cause: last } : undefined,
    );
  }
  if (status !== 'ready') {
    let failure: Error | undefined;
    const onError = (err: Error): void => {
      failure = err;
    };
    client.once('error', onError);
    await firstEvent(client, ['ready', 'error'], timeoutMs);
    client.off('error', onError);
    const permanent = permanentRedisError(failure);
    if (permanent) throw redisConfigurationError(description, permanent);
    if (client.status !== 'ready') {
      throw new BackendUnavailableError(
        description,
        failure?.message ?? `not connected within ${timeoutMs} ms`,
        failure ? { cause: failure } : undefined,
      );
    }
  }
  await pingWithin(client, timeoutMs, (why, timedOut, cause) => {
    throw new BackendUnavailableError(
      description,
      why,
      timedOut ? undefined : { cause },
    );
  });
}

/**
 * PING within `timeoutMs`. `fail` receives why it failed (`no PONG within … ms`, or the client's
 * error message and the error) and throws; a BackendUnavailableError is passed on unchanged.
 * @internal
 */
export async function pingWithin(
  client: Pick<Redis, 'ping'>,
  timeoutMs: number,
  fail: (why: string, timedOut: boolean, cause?: unknown) => never,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new PingTimeout(`no PONG within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof BackendUnavailableError) throw err;
    if (err instanceof PingTimeout) fail(err.message, true);
    fail((err as Error).message, false, err);
  } finally {
    clearTimeout(timer);
  }
}

/** The PING timer fired. */
class PingTimeout extends Error {}
