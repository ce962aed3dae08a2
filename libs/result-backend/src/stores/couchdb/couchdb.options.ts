/** `couchdb://[user:pass@]host:port/container` (`couchdbs://` for https), parsed. @publicApi */
export interface CouchDbBackendConfig {
  /** Discriminant. */
  readonly kind: 'couchdb';
  /** `https` for `couchdbs://`. */
  readonly protocol: 'http' | 'https';
  /** Host name. */
  readonly host: string;
  /** TCP port (default 5984). */
  readonly port: number;
  /** Database name (`default` when the URL has no path, as in Celery). */
  readonly database: string;
  /** User name. */
  readonly username?: string;
  /** Password (never logged). */
  readonly password?: string;
}

/** Example shown in CouchDB configuration errors. @internal */
export const COUCHDB_EXAMPLE = 'couchdb://user:password@localhost:5984/celery';
