/**
 * Runs calls for the same key one after another (calls for other keys are not held up), so
 * writers in one process never race each other for a key: only other processes can make a
 * CAS fail, and each queued write starts from the token the previous one left.
 * @internal
 */
export class KeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `fn` once every earlier call for `key` has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key);
    const result = prev ? prev.then(fn, fn) : fn();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with calls in progress (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
