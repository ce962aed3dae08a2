/**
 * `cleanup(expires)` for S3, which Celery never does (its `cleanup()` is a no-op there): list
 * each result prefix under the base path (paginated ListObjectsV2) and delete the objects
 * last modified before `now - expires` with DeleteObjects (one request per listed page, so at
 * most 1000 keys per request).
 */
import type { _Object, S3Client } from '@aws-sdk/client-s3';
import type { LoggerService } from '@nestjs/common';
import { s3HttpStatus } from './s3.errors.js';
import type { EtagCache } from './s3-etag.cache.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');

/** Key prefixes (after the base path) that hold Celery results, as Celery's filesystem cleanup. @internal */
export const RESULT_KEY_PREFIXES = [
  'celery-task-meta-',
  'celery-taskset-meta-',
  'chord-unlock-',
] as const;

/** Inputs of {@link cleanupS3Results}. @internal */
export interface S3CleanupInput {
  readonly sdk: S3Sdk;
  readonly client: S3Client;
  readonly bucket: string;
  readonly basePath: string;
  /** Result key prefixes after the base path (global key prefix included); default {@link RESULT_KEY_PREFIXES}. */
  readonly prefixes?: readonly string[];
  readonly expiresSeconds: number;
  /** Objects per ListObjectsV2 page and per DeleteObjects batch (S3 maximum and default: 1000). */
  readonly pageSize?: number;
  /** Reference time (default: now). */
  readonly now?: Date;
}

/** Outcome of a cleanup: deleted object keys, and keys the server refused to delete. @internal */
export interface S3CleanupOutcome {
  readonly deleted: string[];
  readonly failed: { key: string; code: string }[];
}

/** Delete expired result objects; see the file comment. @internal */
export async function cleanupS3Results(
  input: S3CleanupInput,
): Promise<S3CleanupOutcome> {
  const pageSize = Math.min(1000, Math.max(1, input.pageSize ?? 1000));
  const cutoff =
    (input.now ?? new Date()).getTime() - input.expiresSeconds * 1000;
  const outcome: S3CleanupOutcome = { deleted: [], failed: [] };
  for (const prefix of input.prefixes ?? RESULT_KEY_PREFIXES) {
    for await (const page of listPages(
      input,
      input.basePath + prefix,
      pageSize,
    )) {
      const expired = page.contents
        .filter(
          (o) =>
            o.Key !== undefined &&
            o.LastModified !== undefined &&
            o.LastModified.getTime() < cutoff,
        )
        .map((o) => o.Key as string);
      // Deleting while listing is safe: the next page starts after the last returned key.
      await deleteBatch(input, expired, outcome);
    }
  }
  return outcome;
}

/** How a store lists: `v1` once a server failed to paginate ListObjectsV2. @internal */
export interface S3ListMode {
  v1: boolean;
}

/**
 * Pages of ListObjectsV2 under `prefix`. A server that fails to paginate V2 (s3rver on Node
 * >= 17 cannot build continuation tokens: HTTP 500) is read on with ListObjects V1 and
 * `Marker`, and so is every later listing given the same `mode`. `more`: another page follows.
 * @internal
 */
export async function* listPages(
  input: Pick<S3CleanupInput, 'sdk' | 'client' | 'bucket'>,
  prefix: string,
  pageSize: number,
  mode: S3ListMode = { v1: false },
): AsyncGenerator<{ readonly contents: _Object[]; readonly more: boolean }> {
  const { sdk, client, bucket } = input;
  let token: string | undefined;
  let lastKey: string | undefined;
  for (;;) {
    let contents: _Object[];
    let truncated: boolean;
    if (!mode.v1) {
      try {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            MaxKeys: pageSize,
            ContinuationToken: token,
          }),
        );
        contents = page.Contents ?? [];
        truncated = !!page.IsTruncated && !!page.NextContinuationToken;
        token = page.NextContinuationToken;
      } catch (err) {
        const status = s3HttpStatus(err);
        if (status === undefined || status < 500 || token !== undefined)
          throw err;
        mode.v1 = true;
        continue;
      }
    } else {
      const page = await client.send(
        new sdk.ListObjectsCommand({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: pageSize,
          Marker: lastKey,
        }),
      );
      contents = page.Contents ?? [];
      truncated = !!page.IsTruncated && contents.length > 0;
    }
    if (contents.length > 0) lastKey = contents[contents.length - 1].Key;
    yield { contents, more: truncated };
    if (!truncated) return;
  }
}

async function deleteBatch(
  input: S3CleanupInput,
  keys: string[],
  outcome: S3CleanupOutcome,
): Promise<void> {
  if (keys.length === 0) return;
  const res = await input.client.send(
    new input.sdk.DeleteObjectsCommand({
      Bucket: input.bucket,
      Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: false },
    }),
  );
  for (const d of res.Deleted ?? []) if (d.Key) outcome.deleted.push(d.Key);
  for (const e of res.Errors ?? [])
    if (e.Key) outcome.failed.push({ key: e.Key, code: e.Code ?? 'Error' });
}

/**
 * After a cleanup: drop the deleted keys from the ETag cache and warn about the objects the
 * server refused to delete (three named at most); returns how many were deleted.
 * @internal
 */
export function forgetCleaned(
  outcome: S3CleanupOutcome,
  cache: EtagCache,
  logger: LoggerService,
): number {
  for (const key of outcome.deleted) cache.delete(key);
  const failed = outcome.failed.map((f) => `${f.key}: ${f.code}`);
  if (failed.length > 0)
    logger.warn?.(
      `S3 cleanup could not delete ${failed.length} object(s): ${failed.slice(0, 3).join(', ')}`,
    );
  return outcome.deleted.length;
}
