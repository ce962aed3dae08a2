import { validateId, type KeyBuilder } from '../protocol/keys.js';
import type { ResultStore } from '../stores/result-store.interface.js';

/**
 * The one id check of the service boundary: {@link validateId} (every store), then the
 * store's own key rules (`ResultStore.validateKey`) on the full key the id becomes. Every
 * entry point (reads, writes, forget, watches, groups, chords) calls it before any I/O, so an
 * id a store cannot key fails at once with `InvalidTaskIdError` instead of timing out.
 * @internal
 */
export class IdCheck {
  constructor(
    private readonly store: ResultStore,
    private readonly keys: KeyBuilder,
  ) {}

  /** Throws `InvalidTaskIdError` unless `id` is a usable task id. */
  task(id: unknown): asserts id is string {
    validateId(id, 'task');
    this.store.validateKey?.(this.keys.taskKey(id));
  }

  /** Throws `InvalidTaskIdError` unless `id` is a usable group id (group and chord keys). */
  group(id: unknown): asserts id is string {
    validateId(id, 'group');
    this.store.validateKey?.(this.keys.groupKey(id));
    this.store.validateKey?.(this.keys.chordKey(id));
  }
}
