/**
 * Redis errors that retrying cannot heal: a wrong user name or password (`WRONGPASS`, `NOAUTH`,
 * `ERR invalid password`), a user not allowed to run a command (`NOPERM`) and a database
 * number the server does not have (`ERR DB index is out of range`). Celery (redis-py) raises
 * `AuthenticationError` / `ResponseError` for them at once; ioredis would reconnect forever.
 * Sentinels that refuse their password show up inside ioredis' "All sentinels are
 * unreachable… Last error: WRONGPASS …" (redis-py's `discover_master` skips such a sentinel
 * and raises `MasterNotFoundError` once none answered).
 */
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';

const PERMANENT =
  /^(WRONGPASS|NOAUTH|NOPERM) |^ERR (invalid password|invalid username-password|DB index is out of range|invalid DB index)/i;

/** ioredis' error once every sentinel failed; the last sentinel's error ends it. */
const ALL_SENTINELS = /^All sentinels are unreachable\b.*\bLast error: (.+)$/s;

/** How {@link permanentRedisError} names a refusal by the sentinels themselves. */
const SENTINELS_REFUSED = 'the sentinels refused: ';

/** Whether a reconnect can never cure this: the database number is wrong. @internal */
const WRONG_DB = /^ERR (DB index is out of range|invalid DB index)/i;

/**
 * The Redis reply error inside `err` (itself, the last node error of a Cluster client, or
 * the sentinels' last error, then as a new Error "the sentinels refused: …" with `err` as
 * its cause) when it is one retrying cannot heal; else undefined.
 * @internal
 */
export function permanentRedisError(err: unknown): Error | undefined {
  if (!(err instanceof Error)) return undefined;
  if (PERMANENT.test(err.message)) return err;
  const sentinels = ALL_SENTINELS.exec(err.message)?.[1];
  if (sentinels !== undefined && PERMANENT.test(sentinels))
    return new Error(SENTINELS_REFUSED + sentinels, { cause: err });
  const last = (err as { lastNodeError?: unknown }).lastNodeError;
  return last instanceof Error && PERMANENT.test(last.message)
    ? last
    : undefined;
}

/**
 * Whether the connection stays wrong even once it is ready again (a bad database number:
 * ioredis goes on with database 0), unlike credentials an administrator may fix.
 * @internal
 */
export function isWrongDatabase(err: Error): boolean {
  return WRONG_DB.test(err.message);
}

/**
 * The BackendUnavailableError (`permanent: true`) for a reply retrying cannot heal, naming
 * the cause and what to check. `description` is masked; Redis replies never echo passwords.
 * @internal
 */
export function redisConfigurationError(
  description: string,
  cause: Error,
): BackendUnavailableError {
  const check = isWrongDatabase(cause)
    ? 'check the database number in the URL'
    : /^NOPERM /i.test(cause.message)
      ? "check the user's ACL permissions"
      : cause.message.startsWith(SENTINELS_REFUSED)
        ? "check the sentinels' own password (sentinel_kwargs, redis.sentinelPassword)"
        : 'check the user name and password';
  return new BackendUnavailableError(
    description,
    `configuration error, not retried: ${cause.message} (${check})`,
    { cause, permanent: true },
  );
}
