/**
 * Turning replies and transport failures into the library's typed errors.
 */
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { PayloadTooLargeError } from '../../errors/payload-too-large.error.js';
import { ResultBackendError } from '../../errors/result-backend.error.js';
import { McServerReplyError, type McReply } from './memcached-reply.parser.js';

/** memcached's default largest item (`-I 1m`); the real limit is not visible to clients. */
const MEMCACHED_DEFAULT_ITEM_MAX = 1024 * 1024;

/** A meta reply. @internal */
export type McMetaReply = Extract<McReply, { type: 'meta' }>;

/** A reply as text, for messages. @internal */
export function describeReply(reply: McReply | McServerReplyError): string {
  if (reply instanceof McServerReplyError) return reply.line;
  if (reply.type === 'meta') return [reply.code, ...reply.tokens].join(' ');
  return reply.type === 'line' ? reply.line : 'VALUE … END';
}

/** The reply as a meta reply with one of `codes`, or a McServerReplyError to throw. @internal */
export function expectMeta(
  reply: McReply | McServerReplyError,
  codes: readonly string[],
): McMetaReply {
  if (reply instanceof McServerReplyError) throw reply;
  if (reply.type !== 'meta' || !codes.includes(reply.code)) {
    throw new McServerReplyError(`unexpected reply ${describeReply(reply)}`);
  }
  return reply;
}

/**
 * The typed error for a failed call: ours pass through, an item over the server's size limit is
 * `PayloadTooLargeError`, everything else (connection lost, timeout, server error) is
 * `BackendUnavailableError`.
 * @internal
 */
export function toStoreError(
  err: unknown,
  description: string,
  key: string,
  size: number,
): Error {
  if (err instanceof ResultBackendError) return err;
  if (err instanceof McServerReplyError) {
    if (/too large/i.test(err.line))
      return new PayloadTooLargeError(key, size, MEMCACHED_DEFAULT_ITEM_MAX);
    if (err.line === 'ERROR') {
      return new BackendUnavailableError(
        description,
        'the server does not know the command (meta commands need memcached >= 1.6)',
        {
          cause: err,
        },
      );
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new BackendUnavailableError(description, message, { cause: err });
}
