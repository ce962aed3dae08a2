/**
 * A function that imports the module holding `factory` only when first called, then calls it;
 * e.g. a backend definition's `create`:
 * `lazyFactory(async () => (await import('./s3.store.js')).createS3Store)`, so a store's
 * module and driver load only when that store is created.
 * @internal
 */
export function lazyFactory<A extends unknown[], R>(
  load: () => Promise<(...args: A) => R | PromiseLike<R>>,
): (...args: A) => Promise<R> {
  return async (...args) => (await load())(...args);
}
