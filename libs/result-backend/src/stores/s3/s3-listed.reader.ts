/**
 * Reads of many S3 keys that LIST the prefix first (see `s3-list.policy.ts` for the
 * policy): a key absent from the listing is missing (PENDING) without a GET, a key listed with
 * the ETag last read is served from the ETag cache, and only new or changed keys are read
 * with a (conditional) GET through the store's gate. A listing over its page budget, or a
 * failed one, falls back to one GET per key for that read.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ResultStore } from '../result-store.interface.js';
import { listPages, type S3ListMode } from './s3.cleanup.js';
import type { EtagCache, EtagEntry } from './s3-etag.cache.js';
import { s3ErrorName, s3HttpStatus } from './s3.errors.js';
import {
  commonPrefix,
  isListable,
  planListedRead,
  type ListPolicy,
} from './s3-list.policy.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');
type OnRead = Parameters<NonNullable<ResultStore['mgetEach']>>[1];

/** What {@link readListed} needs from the store. @internal */
export interface ListedReadInput {
  readonly sdk: S3Sdk;
  readonly client: S3Client;
  readonly bucket: string;
  readonly cache: EtagCache;
  readonly policy: ListPolicy;
  /** Keys per listing page (the S3 maximum, 1,000, but in tests). */
  readonly pageKeys: number;
  /** Whether this store lists with V1 (kept across reads). */
  readonly mode: S3ListMode;
  /** The object key of a store key (base path prepended). */
  readonly objectKey: (key: string) => string;
  /** The store's gated conditional GET (`null`: missing). */
  readonly read: (objectKey: string) => Promise<EtagEntry | null>;
  /** Runs one SDK call, turning its errors into the store's typed error (cause kept). */
  readonly call: <T>(op: string, fn: () => Promise<T>) => Promise<T>;
  /** Told once when the server refuses ListObjectsV2. */
  readonly warn: (message: string) => void;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/**
 * Every object under `prefix` with its ETag, or `undefined` when there are more than
 * `maxPages` pages (ListObjectsV2, or V1 once `mode` says the server cannot paginate V2).
 * @internal
 */
export async function listEtags(
  input: Pick<
    ListedReadInput,
    'sdk' | 'client' | 'bucket' | 'mode' | 'pageKeys'
  >,
  prefix: string,
  maxPages: number,
): Promise<Map<string, string> | undefined> {
  const etags = new Map<string, string>();
  let pages = 0;
  const list = listPages(input, prefix, input.pageKeys, input.mode);
  for await (const page of list) {
    for (const o of page.contents)
      if (o.Key !== undefined && o.ETag) etags.set(o.Key, o.ETag);
    if (page.more && ++pages >= maxPages) return undefined;
  }
  return etags;
}

/** The server refuses ListObjectsV2 (400, 403, 405, 501) rather than failing for a while. @internal */
export function isListRefused(err: unknown): boolean {
  const status = s3HttpStatus(err);
  return (
    (status !== undefined && [400, 403, 405, 501].includes(status)) ||
    ['AccessDenied', 'NotImplemented', 'MethodNotAllowed'].includes(
      s3ErrorName(err) ?? '',
    )
  );
}

/** The listing this read may use: ETag per listed object key, or `undefined` (GET each key). */
async function listFor(
  input: ListedReadInput,
  objectKeys: readonly string[],
): Promise<Map<string, string> | undefined> {
  const now = input.now ?? Date.now;
  const pages = input.policy.pages(objectKeys.length, now());
  if (pages === 0) return undefined;
  try {
    const etags = await input.call('ListObjectsV2', () =>
      listEtags(input, commonPrefix(objectKeys), pages),
    );
    if (etags) input.policy.completed();
    else input.policy.capped(pages, now());
    return etags;
  } catch (err) {
    const cause = err instanceof Error && err.cause ? err.cause : err;
    if (isListRefused(cause) && !input.policy.disabled) {
      input.policy.refuse();
      input.warn(
        `S3 ListObjectsV2 refused (${s3ErrorName(cause) ?? 'error'}); polling reads every key with its own GET from now on (grant s3:ListBucket, or set s3.listThreshold to 0 to silence this)`,
      );
    }
    return undefined;
  }
}

/**
 * Read `keys` (the `mgetEach` contract): list first when the policy says so, then report
 * each key to `onRead` as soon as its outcome is known; never rejects.
 * @internal
 */
export async function readListed(
  input: ListedReadInput,
  keys: readonly string[],
  onRead: OnRead,
): Promise<void> {
  const objectKeys = keys.map(input.objectKey);
  const listing = await listFor(input, objectKeys);
  const gets: Promise<void>[] = [];
  const reported = (i: number) => (entry: EtagEntry | null) =>
    onRead(i, { ok: true, value: entry?.body ? entry.body : null });
  const failed = (i: number) => (error: unknown) =>
    onRead(i, { ok: false, error });
  for (let i = 0; i < objectKeys.length; i++) {
    const key = objectKeys[i];
    if (listing && isListable(key)) {
      const cached = input.cache.get(key);
      const plan = planListedRead(listing.get(key), cached?.etag);
      if (plan === 'missing') {
        onRead(i, { ok: true, value: null });
        continue;
      }
      if (plan === 'unchanged') {
        reported(i)(cached ?? null);
        continue;
      }
    }
    gets.push(input.read(key).then(reported(i), failed(i)));
  }
  await Promise.all(gets);
}

/**
 * The values of an `mgetEach`-style read of `count` keys, in order; rejects with the first
 * failure once every key settled (the `mget` contract).
 * @internal
 */
export async function collectReads(
  count: number,
  readEach: (onRead: OnRead) => Promise<void>,
): Promise<(string | null)[]> {
  const out = new Array<string | null>(count).fill(null);
  let failure: { readonly error: unknown } | undefined;
  await readEach((i, read) => {
    if (read.ok) out[i] = read.value;
    else failure ??= { error: read.error };
  });
  if (failure) throw failure.error;
  return out;
}
