/**
 * Classification of AWS SDK v3 errors for the S3 store: what reads as "missing", what means
 * "unchanged" (304) or "someone wrote first" (412/409), and the typed error for everything
 * else. Pure helpers over `unknown`, so they never depend on the SDK's classes.
 */
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { InvalidTaskIdError } from '../../errors/invalid-task-id.error.js';

/** Longest S3 object key, in UTF-8 bytes (AWS limit; MinIO and s3rver agree). */
const MAX_OBJECT_KEY_BYTES = 1024;

/** Refuse an object key (base path included) longer than S3 accepts. @internal */
export function assertS3ObjectKey(objectKey: string): void {
  if (Buffer.byteLength(objectKey, 'utf8') > MAX_OBJECT_KEY_BYTES)
    throw new InvalidTaskIdError(
      objectKey,
      `S3 object keys are at most ${MAX_OBJECT_KEY_BYTES} UTF-8 bytes`,
    );
}

/** The SDK error's `name` (`NoSuchKey`, `NoSuchBucket`, `NotFound`, `TimeoutError` …). @internal */
export function s3ErrorName(err: unknown): string | undefined {
  if (err && typeof err === 'object') {
    const name = (err as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/** HTTP status of an SDK service error, when the server answered at all. @internal */
export function s3HttpStatus(err: unknown): number | undefined {
  if (err && typeof err === 'object') {
    const meta = (err as { $metadata?: { httpStatusCode?: unknown } })
      .$metadata;
    if (meta && typeof meta.httpStatusCode === 'number')
      return meta.httpStatusCode;
  }
  return undefined;
}

/** GetObject on a missing key in an existing bucket (`NoSuchKey`): Celery reads PENDING. @internal */
export function isMissingKey(err: unknown): boolean {
  return s3ErrorName(err) === 'NoSuchKey';
}

/** A conditional GET whose ETag still matches (304 Not Modified). @internal */
export function isNotModified(err: unknown): boolean {
  return s3HttpStatus(err) === 304;
}

/**
 * A conditional PUT lost a race: 412 PreconditionFailed (If-Match / If-None-Match failed) or
 * 409 ConditionalRequestConflict (two conditional writes at once). Re-read and try again.
 * @internal
 */
export function isWriteConflict(err: unknown): boolean {
  const status = s3HttpStatus(err);
  const name = s3ErrorName(err);
  return (
    status === 412 ||
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict'
  );
}

/** The server does not implement conditional PUT headers (501 NotImplemented). @internal */
export function isNotImplemented(err: unknown): boolean {
  return s3HttpStatus(err) === 501 || s3ErrorName(err) === 'NotImplemented';
}

/** A human reason for `err`, naming the bucket when it is missing. @internal */
export function describeS3Error(
  err: unknown,
  bucket: string,
  op: string,
): string {
  const name = s3ErrorName(err) ?? 'Error';
  const status = s3HttpStatus(err);
  if (name === 'NoSuchBucket' || (op === 'HeadBucket' && status === 404)) {
    return `${op}: bucket "${bucket}" does not exist (create it, or fix s3_bucket)`;
  }
  if (
    status === 403 ||
    name === 'AccessDenied' ||
    name === 'InvalidAccessKeyId' ||
    name === 'SignatureDoesNotMatch'
  ) {
    return `${op}: access denied by the server (${name}); check the credentials and the bucket policy (s3:GetObject, s3:PutObject, s3:DeleteObject, s3:ListBucket)`;
  }
  const message =
    err instanceof Error && err.message && err.message !== 'UnknownError'
      ? `: ${err.message}`
      : '';
  return `${op}: ${name}${status ? ` (HTTP ${status})` : ''}${message}`;
}

/** Wrap any failed S3 call into the library's typed error (original kept as `cause`). @internal */
export function toUnavailable(
  err: unknown,
  description: string,
  bucket: string,
  op: string,
): BackendUnavailableError {
  if (err instanceof BackendUnavailableError) return err;
  return new BackendUnavailableError(
    description,
    describeS3Error(err, bucket, op),
    { cause: err },
  );
}
