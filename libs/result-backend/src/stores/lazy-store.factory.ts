import type { ResultStore } from './result-store.interface.js';
import type { StoreContext } from './store-context.interface.js';

/** A store module's factory: builds the store from its parsed config. @internal */
export type StoreFactory<C> = (
  config: C,
  ctx: StoreContext,
) => ResultStore | Promise<ResultStore>;

/**
 * A `BackendDefinition.create` that imports the store's module (and so its driver) only when
 * a store is created, then calls the factory `load` picks from it, e.g.
 * `lazyStore(async () => (await import('./s3.store.js')).createS3Store)`.
 * @internal
 */
export function lazyStore<C>(
  load: () => Promise<StoreFactory<C>>,
): (config: C, ctx: StoreContext) => Promise<ResultStore> {
  return async (config, ctx) => (await load())(config, ctx);
}
