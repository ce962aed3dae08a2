/**
 * S3 store (Celery's `s3` backend): Celery's JSON at `basePath + key`. Conditional GETs under
 * one shared limit; reads of many keys LIST first (`s3-listed.reader.ts`); guarded writes
 * use If-Match / If-None-Match: * where honoured, serialized per key in this process.
 */
import type { S3BackendConfig, S3StoreTuning } from './s3.options.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { loadPackage } from '../../utils/load-package.util.js';
import type {
  ResultStore,
  StoreSetArgs,
  WriteOutcome,
} from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  assertS3Credentials,
  buildS3ClientConfig,
} from './s3-client.factory.js';
import { describeS3 } from './s3.describer.js';
import { cleanupS3Results, forgetCleaned } from './s3.cleanup.js';
import { S3GetGate } from './s3-get.gate.js';
import {
  collectReads,
  readListed,
  type ListedReadInput,
} from './s3-listed.reader.js';
import { LIST_PAGE_KEYS, ListPolicy } from './s3-list.policy.js';
import { assertS3ObjectKey, toUnavailable } from './s3.errors.js';
import { EtagCache } from './s3-etag.cache.js';
import {
  conditionalGet,
  putObject,
  type ConditionalGetInput,
} from './s3-conditional-get.reader.js';
import { KeyQueue } from '../../utils/key.queue.js';
import { S3GuardedWriter, type S3Precondition } from './s3-guarded.writer.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');

/**
 * The S3 store. Create it with {@link createS3Store}; `client` is exposed for instrumentation
 * (e.g. metrics middleware), not for writing behind the store's back.
 * @publicApi
 */
export class S3ResultStore implements ResultStore {
  /** @inheritdoc */
  readonly kind = 's3' as const;
  /** @inheritdoc */
  readonly description: string;
  /** S3 never expires results by itself (use a lifecycle rule or `cleanup()`). */
  readonly autoExpires = false;

  private readonly cache: EtagCache;
  private readonly gate: S3GetGate;
  private readonly locks = new KeyQueue();
  private readonly source: ConditionalGetInput;
  private readonly guarded: S3GuardedWriter;
  private readonly listed: ListedReadInput;
  private closed = false;

  constructor(
    private readonly sdk: S3Sdk,
    /** The SDK client (shared by every call of this store). */
    readonly client: S3Client,
    private readonly config: S3BackendConfig,
    private readonly ctx: StoreContext,
    tuning: S3StoreTuning = {},
  ) {
    this.description = ctx.description ?? describeS3(config);
    this.cache = new EtagCache(tuning.etagCacheSize ?? 10_000);
    this.source = { sdk, client, bucket: config.bucket, cache: this.cache };
    this.gate = new S3GetGate(
      Math.max(1, tuning.maxConcurrency ?? config.maxConcurrency ?? 16),
      (key) => this.call('GetObject', () => conditionalGet(this.source, key)),
      (err) => err instanceof BackendUnavailableError,
    );
    this.listed = {
      ...this.source,
      policy: new ListPolicy(tuning.listThreshold ?? config.listThreshold),
      mode: { v1: false },
      objectKey: (key) => this.objectKey(key),
      pageKeys: tuning.listPageKeys ?? LIST_PAGE_KEYS,
      read: (objectKey) => this.gate.read(objectKey),
      call: this.call.bind(this),
      warn: (message) => void ctx.logger.warn?.(message),
    };
    this.guarded = new S3GuardedWriter({
      description: this.description,
      logger: ctx.logger,
      read: (objectKey) => this.gate.read(objectKey),
      put: (objectKey, value, cond) => this.put(objectKey, value, cond),
      forget: (objectKey) => {
        this.cache.delete(objectKey);
        this.gate.forget(objectKey);
      },
    });
  }

  /** Number of keys in the ETag cache (for tests and metrics). */
  get cachedKeys(): number {
    return this.cache.size;
  }
  /** Most GETs that were ever in flight at once (for tests and metrics). */
  get maxGetsInFlight(): number {
    return this.gate.maxInFlight;
  }

  /** Object keys (base path included) are at most 1,024 UTF-8 bytes. */
  validateKey(key: string): void {
    assertS3ObjectKey(this.objectKey(key));
  }

  /** @inheritdoc */
  async get(key: string): Promise<string | null> {
    const entry = await this.gate.read(this.objectKey(key));
    return entry?.body ? entry.body : null;
  }

  /**
   * @inheritdoc Many keys (`listThreshold`) LIST the prefix first and GET only new or changed
   * keys, else one GET per key; under the one GET limit. The first failure rejects the call.
   */
  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return collectReads(keys.length, (onRead) => this.mgetEach(keys, onRead));
  }

  /** @inheritdoc As {@link mget}, each key reported as soon as its outcome is known. */
  mgetEach(
    keys: readonly string[],
    onRead: Parameters<NonNullable<ResultStore['mgetEach']>>[1],
  ): Promise<void> {
    return readListed(this.listed, keys, onRead);
  }

  /** @inheritdoc S3 has no TTL: `ttl` is ignored, as in Celery. */
  async set(
    ...[key, value, , guardSuccess]: StoreSetArgs
  ): Promise<WriteOutcome> {
    const objectKey = this.objectKey(key);
    if (!guardSuccess) {
      await this.put(objectKey, value, {});
      return 'written';
    }
    return this.locks.run(objectKey, () =>
      this.guarded.write(objectKey, value),
    );
  }

  /** @inheritdoc DeleteObject: idempotent (S3 answers 204 for a missing key). */
  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    await this.call('DeleteObject', () =>
      this.client.send(
        new this.sdk.DeleteObjectCommand({
          Bucket: this.config.bucket,
          Key: objectKey,
        }),
      ),
    );
    this.cache.delete(objectKey);
    this.gate.forget(objectKey);
  }

  /** @inheritdoc ListObjectsV2 + DeleteObjects over the result prefixes; see docs/s3.md. */
  async cleanup(
    expiresSeconds: number,
    prefixes?: readonly string[],
  ): Promise<number> {
    if (!expiresSeconds || expiresSeconds < 0) return 0;
    const outcome = await this.call('cleanup', () =>
      cleanupS3Results({
        ...this.source,
        basePath: this.config.basePath,
        prefixes,
        expiresSeconds,
      }),
    );
    return forgetCleaned(outcome, this.cache, this.ctx.logger);
  }

  /** @inheritdoc HeadBucket: rejects when the bucket is missing or the server is down. */
  async ping(): Promise<void> {
    await this.call('HeadBucket', () =>
      this.client.send(
        new this.sdk.HeadBucketCommand({ Bucket: this.config.bucket }),
      ),
    );
  }

  /** @inheritdoc */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.cache.clear();
      this.client.destroy();
    }
    return Promise.resolve();
  }

  private objectKey(key: string): string {
    return this.config.basePath + key;
  }

  private async put(
    objectKey: string,
    value: string,
    cond: S3Precondition,
  ): Promise<void> {
    await this.call('PutObject', () =>
      putObject(this.source, objectKey, value, cond),
    );
    this.gate.forget(objectKey);
  }

  /** One SDK call: closed store and SDK errors become BackendUnavailableError. */
  private async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed)
      throw new BackendUnavailableError(this.description, `${op}: closed`);
    try {
      return await fn();
    } catch (err) {
      throw toUnavailable(err, this.description, this.config.bucket, op);
    }
  }
}

/**
 * Create the S3 store: loads `@aws-sdk/client-s3` lazily, builds the client (path style,
 * endpoint, region, request timeouts, no aws-chunked bodies) and resolves the credentials
 * once; none at all → `ImproperlyConfiguredError`, as in Celery.
 * @publicApi
 */
export async function createS3Store(
  config: S3BackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  const sdk = await loadPackage<S3Sdk>(
    '@aws-sdk/client-s3',
    's3 result backend',
  );
  const client = new sdk.S3Client(buildS3ClientConfig(config));
  try {
    await assertS3Credentials(client);
  } catch (err) {
    client.destroy();
    throw err;
  }
  return new S3ResultStore(sdk, client, config, ctx);
}
