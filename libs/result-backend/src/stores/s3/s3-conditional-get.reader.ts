/**
 * The S3 store's object I/O around the ETag cache: GetObject with `If-None-Match: <last ETag>`
 * so an unchanged object costs a 304 and no body, served from the cache; PutObject caches the
 * ETag and bytes it wrote.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMissingKey, isNotModified } from './s3.errors.js';
import type { EtagCache, EtagEntry } from './s3-etag.cache.js';
import type { S3Precondition } from './s3-guarded.writer.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');

/** Extra reads of an object that came back empty (see {@link conditionalGet}). */
const EMPTY_BODY_RETRIES = 2;

/** Inputs of {@link conditionalGet}. @internal */
export interface ConditionalGetInput {
  readonly sdk: S3Sdk;
  readonly client: S3Client;
  readonly bucket: string;
  readonly cache: EtagCache;
}

/**
 * The object's ETag and text, the cached entry on 304, `null` when the key is missing. Other
 * SDK errors are thrown as they are. Neither Celery nor this library ever writes an empty
 * object, but a server that rewrites files in place (s3rver) can serve one mid-write: an
 * empty body is read again twice (25 and 50 ms later) before it counts as empty (PENDING).
 * @internal
 */
export async function conditionalGet(
  input: ConditionalGetInput,
  objectKey: string,
): Promise<EtagEntry | null> {
  const { sdk, client, bucket, cache } = input;
  for (let attempt = 0; ; attempt++) {
    const cached = cache.get(objectKey);
    let entry: EtagEntry;
    try {
      const res = await client.send(
        new sdk.GetObjectCommand({
          Bucket: bucket,
          Key: objectKey,
          IfNoneMatch: cached?.etag,
        }),
      );
      entry = {
        etag: res.ETag ?? '',
        body: res.Body ? await res.Body.transformToString('utf-8') : '',
      };
    } catch (err) {
      if (cached && isNotModified(err)) return cached;
      cache.delete(objectKey);
      if (isMissingKey(err)) return null;
      throw err;
    }
    if (entry.etag && entry.body) cache.set(objectKey, entry.etag, entry.body);
    else cache.delete(objectKey);
    if (entry.body || attempt >= EMPTY_BODY_RETRIES) return entry;
    await sleep(25 * (attempt + 1));
  }
}

/**
 * PutObject `value` at `objectKey` with the precondition headers `cond`, then cache the ETag
 * the server answered (or forget the key when it gave none). SDK errors are thrown as they are.
 * @internal
 */
export async function putObject(
  input: ConditionalGetInput,
  objectKey: string,
  value: string,
  cond: S3Precondition,
): Promise<void> {
  const { sdk, client, bucket, cache } = input;
  const res = await client.send(
    new sdk.PutObjectCommand({
      Bucket: bucket,
      Key: objectKey,
      Body: value,
      ...cond,
    }),
  );
  if (res.ETag) cache.set(objectKey, res.ETag, value);
  else cache.delete(objectKey);
}
