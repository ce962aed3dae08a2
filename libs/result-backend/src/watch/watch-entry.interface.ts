/** Receives what the engine reads for one watched key. @internal */
export interface WatchListener {
  /** The raw stored text (null when missing), each time it differs from the last one delivered. */
  next(raw: string | null): void;
  /** A read failed in a way that will not heal by retrying (not used for transient outages). */
  error(err: unknown): void;
}

/** One watched key in the engine. @internal */
export interface WatchEntry {
  /** The full store key. */
  readonly key: string;
  /** Everyone watching the key. */
  readonly listeners: Set<WatchListener>;
  /** Last raw text delivered (undefined = nothing read yet). */
  last: string | null | undefined;
  /** Bumped on every push delivery; a read issued before a push is stale and dropped. */
  version: number;
  /** Poll interval this key is polled at (polling stores only). */
  interval: number;
}
