/**
 * Merges the single-key reads issued in the same tick into one multi-key `get` per server
 * (what a DataLoader does): concurrent `store.get` calls cost one request line and one
 * reply instead of one each.
 * @internal
 */
import type { McItem } from './memcached-reply.parser.js';

/** Fetches items of one server's keys in one request. */
export type MultiGetFn = (
  server: number,
  keys: readonly string[],
) => Promise<McItem[]>;

interface Waiter {
  readonly resolve: (item: McItem | undefined) => void;
  readonly reject: (err: unknown) => void;
}

/** Collects keys per server until the end of the current tick, then fetches them together. */
export class GetBatcher {
  private readonly batches = new Map<number, Map<string, Waiter[]>>();
  private scheduled = false;

  constructor(private readonly fetch: MultiGetFn) {}

  /** The item stored under `key` on `server`, or undefined when missing. */
  get(server: number, key: string): Promise<McItem | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(server);
      if (!batch)
        this.batches.set(server, (batch = new Map<string, Waiter[]>()));
      const waiters = batch.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else batch.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batches = [...this.batches];
    this.batches.clear();
    for (const [server, batch] of batches) {
      this.fetch(server, [...batch.keys()]).then(
        (items) => {
          const byKey = new Map(items.map((i) => [i.key, i]));
          for (const [key, waiters] of batch)
            for (const w of waiters) w.resolve(byKey.get(key));
        },
        (err: unknown) => {
          for (const waiters of batch.values())
            for (const w of waiters) w.reject(err);
        },
      );
    }
  }
}
