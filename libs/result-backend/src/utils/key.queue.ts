/**
 * Per-key serialisation inside one process: calls for the same key run one after another,
 * calls for other keys are not held up. Stores use it so their own writers never race each
 * other for a key (only other processes can), e.g. around "SUCCESS is final" checks and CAS.
 * Nothing is kept for idle keys.
 * @internal
 */
export class KeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `fn` once every earlier call for `key` has settled; resolves with its result. */
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

  /** Keys with calls queued or running. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves when every call started so far has settled. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
