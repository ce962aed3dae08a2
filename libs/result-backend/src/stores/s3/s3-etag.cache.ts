/**
 * Bounded LRU of the last ETag and body seen per object key, so polling an unchanged result
 * costs a `304 Not Modified` without a body. Bounded by entry count and by total body size.
 */

/** One cached object. @internal */
export interface EtagEntry {
  readonly etag: string;
  readonly body: string;
}

/** LRU cache (Map insertion order = recency). @internal */
export class EtagCache {
  private readonly entries = new Map<string, EtagEntry>();
  private bytes = 0;

  /**
   * @param maxEntries most keys kept (0 disables the cache)
   * @param maxBytes most body characters kept in total; larger bodies are never cached
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Number of cached keys. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key`, marking it most recently used. */
  get(key: string): EtagEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Remember `body` under `etag` for `key`, evicting the least recently used entries. */
  set(key: string, etag: string, body: string): void {
    this.delete(key);
    if (this.maxEntries <= 0 || body.length > this.maxBytes / 16) return;
    this.entries.set(key, { etag, body });
    this.bytes += body.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  /** Forget `key` (deleted or missing object). */
  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.bytes -= entry.body.length;
      this.entries.delete(key);
    }
  }

  /** Forget everything. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
