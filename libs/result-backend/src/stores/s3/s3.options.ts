/**
 * Celery's `s3_*` settings (plus `forcePathStyle` and `maxConcurrency`):
 * `ResultBackendModuleOptions.s3`, else the `CELERY_S3_*` settings; an `s3://` URL is a
 * convenience on top.
 * @publicApi
 */
export interface S3StoreOptions {
  /** `s3_bucket` (required). */
  readonly bucket?: string;
  /** `s3_base_path`, glued to keys without a separator. */
  readonly basePath?: string;
  /** `s3_endpoint_url`. */
  readonly endpointUrl?: string;
  /** `s3_region`. */
  readonly region?: string;
  /** `s3_access_key_id`; without it the SDK's default credential chain is used. */
  readonly accessKeyId?: string;
  /** `s3_secret_access_key`. */
  readonly secretAccessKey?: string;
  /** Path-style requests; default true when an endpoint URL is set. */
  readonly forcePathStyle?: boolean;
  /** Parallel requests for `getMany` and polling (default 16). */
  readonly maxConcurrency?: number;
  /**
   * Reads of at least this many keys (polls, batched first reads, `getMany`) LIST the
   * prefix first (ListObjectsV2, needs `s3:ListBucket`) and GET only new or changed keys;
   * each listing page must replace this many GETs, 20 pages at most (default 64; 0 = never
   * list, one GET per key).
   */
  readonly listThreshold?: number;
}

/** The S3 settings, checked and defaulted. @publicApi */
export interface S3BackendConfig {
  /** Discriminant. */
  readonly kind: 's3';
  /** Bucket name. */
  readonly bucket: string;
  /** Prepended to every key with no separator, exactly as Celery does. */
  readonly basePath: string;
  /** Endpoint of an S3-compatible server. */
  readonly endpointUrl?: string;
  /** AWS region. */
  readonly region?: string;
  /** Access key id (never logged). */
  readonly accessKeyId?: string;
  /** Secret access key (never logged). */
  readonly secretAccessKey?: string;
  /** Path-style addressing (needed for most S3-compatible servers). */
  readonly forcePathStyle: boolean;
  /** Parallel requests for `getMany` and polling (the parser fills in 16). */
  readonly maxConcurrency?: number;
  /** Fewest keys a read must have to LIST first, see {@link S3StoreOptions.listThreshold} (0 = never; default 64). */
  readonly listThreshold?: number;
}

/** Example shown in S3 configuration errors. @internal */
export const S3_EXAMPLE = 's3://my-bucket/celery/?region=eu-west-1';

/** Tuning of an `S3ResultStore`. @publicApi */
export interface S3StoreTuning {
  /** GETs in flight at most, one limit shared by every read of the store (default: the config's `maxConcurrency`, else 16). */
  readonly maxConcurrency?: number;
  /** Fewest keys a read must have to LIST first (default: the config's `listThreshold`, else 64; 0 = never). */
  readonly listThreshold?: number;
  /** Keys per ListObjectsV2 page (default and S3 maximum 1,000; smaller only to test paging). */
  readonly listPageKeys?: number;
  /** Keys whose last ETag and body are kept for conditional reads (default 10 000; 0 = off). */
  readonly etagCacheSize?: number;
}
