/**
 * Runs tasks for the same key one after another (per-key promise chain), so guarded writes
 * from this process never race each other, whatever the server does with conditional PUTs.
 * @internal
 */
export class KeyLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Number of keys with queued or running work. */
  get size(): number {
    return this.tails.size;
  }

  /** Run `fn` once every earlier task for `key` has settled. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
