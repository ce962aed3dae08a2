/**
 * When a read of many S3 keys LISTs the result prefix first, and what the listing decides per
 * key. Pure code (no I/O): the store lists with ListObjectsV2 (1,000 keys and one ETag per
 * key a page) and GETs only keys that are new or changed. Each listing page must replace at
 * least `threshold` GETs, so a listing never costs more requests than 1/threshold of the GETs
 * it saves; a prefix holding more objects than the budget allows makes the store fall back to
 * per-key GETs for {@link LIST_RETRY_MS}.
 */

/** Most ListObjectsV2 pages one read may use (20 pages = 20,000 objects under the prefix). @internal */
export const LIST_MAX_PAGES = 20;
/** Keys a ListObjectsV2 page returns at most (the S3 maximum). @internal */
export const LIST_PAGE_KEYS = 1000;
/** How long a listing that went over its budget keeps the store on per-key GETs (ms). @internal */
export const LIST_RETRY_MS = 60_000;
/** Default of `listThreshold`: the fewest keys a read must have to LIST first. @internal */
export const DEFAULT_S3_LIST_THRESHOLD = 64;

/** What the listing says about one key. @internal */
export type ListedRead =
  /** Not listed: the object does not exist (yet), Celery reads PENDING. No GET. */
  | 'missing'
  /** Listed with the ETag last read: the cached body is the object's bytes. No GET. */
  | 'unchanged'
  /** New or changed (or not decidable from a listing): GET it. */
  | 'get';

/**
 * Whether a listing can decide `objectKey`: XML 1.0 cannot carry C0 control characters and
 * normalizes CR, so such keys could be listed under another spelling; they are always GET.
 * @internal
 */
export function isListable(objectKey: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f]/.test(objectKey);
}

/** The longest prefix shared by every key (`''` for none or no keys). @internal */
export function commonPrefix(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  let prefix = keys[0];
  for (const key of keys) {
    let n = 0;
    const max = Math.min(prefix.length, key.length);
    while (n < max && prefix.charCodeAt(n) === key.charCodeAt(n)) n++;
    if (n < prefix.length) prefix = prefix.slice(0, n);
    if (prefix === '') break;
  }
  // Never end inside a surrogate pair: the prefix is sent as UTF-8.
  const last = prefix.charCodeAt(prefix.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? prefix.slice(0, -1) : prefix;
}

/**
 * The decision for one key: `etag` is its ETag in the listing (`undefined`: not listed),
 * `cachedEtag` the ETag of the bytes this store last read or wrote.
 * @internal
 */
export function planListedRead(
  etag: string | undefined,
  cachedEtag: string | undefined,
): ListedRead {
  if (etag === undefined) return 'missing';
  return cachedEtag !== undefined && cachedEtag === etag ? 'unchanged' : 'get';
}

/**
 * Whether a read of `keys` keys lists first, and with how many pages at most. `threshold` 0
 * turns listing off. After a listing needed more pages than its budget, later reads skip the
 * listing until their budget is larger or {@link LIST_RETRY_MS} has passed; after the server
 * refused ListObjectsV2 (no `s3:ListBucket` permission, not implemented), for good.
 * @internal
 */
export class ListPolicy {
  private overBudget?: { readonly pages: number; readonly until: number };
  private refused = false;

  constructor(
    private readonly threshold = DEFAULT_S3_LIST_THRESHOLD,
    private readonly maxPages = LIST_MAX_PAGES,
  ) {}

  /** Whether listing is off for good (threshold 0, or the server refused it). */
  get disabled(): boolean {
    return this.threshold <= 0 || this.refused;
  }

  /** Pages a read of `keys` keys may list (0 = read key by key), at time `now` (ms). */
  pages(keys: number, now: number): number {
    if (this.disabled || keys < this.threshold) return 0;
    const budget = Math.min(this.maxPages, Math.floor(keys / this.threshold));
    const over = this.overBudget;
    if (over && now < over.until && budget <= over.pages) return 0;
    return budget;
  }

  /** A listing of `pages` pages did not reach the end of the prefix (at time `now`, ms). */
  capped(pages: number, now: number): void {
    this.overBudget = { pages, until: now + LIST_RETRY_MS };
  }

  /** A listing reached the end of the prefix: budgets are fine again. */
  completed(): void {
    this.overBudget = undefined;
  }

  /** The server refused ListObjectsV2: read key by key from now on. */
  refuse(): void {
    this.refused = true;
  }
}
