/**
 * `cleanup(expires)` for S3, which Celery never does (its `cleanup()` is a no-op there): list
 * each result prefix under the base path (paginated ListObjectsV2) and delete the objects
 * last modified before `now - expires` with DeleteObjects, up to 1000 keys per request.
 */
import type { S3Client } from '@aws-sdk/client-s3';

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
  const { sdk, client, bucket, basePath } = input;
  const pageSize = Math.min(1000, Math.max(1, input.pageSize ?? 1000));
  const cutoff =
    (input.now ?? new Date()).getTime() - input.expiresSeconds * 1000;
  const outcome: S3CleanupOutcome = { deleted: [], failed: [] };
  for (const prefix of RESULT_KEY_PREFIXES) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: bucket,
          Prefix: basePath + prefix,
          MaxKeys: pageSize,
          ContinuationToken: token,
        }),
      );
      const expired = (page.Contents ?? [])
        .filter(
          (o) =>
            o.Key !== undefined &&
            o.LastModified !== undefined &&
            o.LastModified.getTime() < cutoff,
        )
        .map((o) => o.Key as string);
      // Deleting while listing is safe: ListObjectsV2 continues after the last returned key.
      for (let i = 0; i < expired.length; i += pageSize) {
        await deleteBatch(input, expired.slice(i, i + pageSize), outcome);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return outcome;
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
