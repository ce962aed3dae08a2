import type { CeleryVersion } from '../protocol/celery-version.js';
import type { BackendConfig } from '../stores/backends.js';
import type { ResultStore } from '../stores/result-store.interface.js';

/** Settings resolved the same way whatever the store. @publicApi */
export interface ResolvedCommonOptions {
  /** Masked, URL-like description of the backend (or the custom store's description). */
  readonly description: string;
  /** Seconds until results expire; `null` = never. */
  readonly expires: number | null;
  readonly keyPrefix: string;
  readonly keyPrefixStyle: '5.5' | '5.3';
  readonly resultCacheMax: number;
  readonly pollIntervalMs: number;
  readonly maxPayloadBytes: number;
  readonly decodeKombuEnvelopes: boolean;
  /** The Celery version whose forms the writer produces. */
  readonly celeryVersion: CeleryVersion;
  /** IANA zone of Celery's `timezone` setting (5.5+ `date_done` offset). */
  readonly timezone: string;
}

/** Resolved options when the store is built from the URL. @publicApi */
export interface ResolvedUrlOptions extends ResolvedCommonOptions {
  readonly backend: BackendConfig;
  readonly store?: undefined;
}

/** Resolved options when a ready store was given (`options.store` wins over any URL). @publicApi */
export interface ResolvedStoreOptions extends ResolvedCommonOptions {
  readonly backend?: undefined;
  readonly store: ResultStore;
}

/**
 * What `resolveModuleOptions` returns: every setting checked and defaulted. Either `store`
 * (given by the caller) or `backend` (parsed from the URL) is set; test `store` to narrow.
 * @publicApi
 */
export type ResolvedResultBackendOptions =
  ResolvedUrlOptions | ResolvedStoreOptions;
