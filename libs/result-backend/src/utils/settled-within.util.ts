/**
 * Resolves once every promise settled, or after `ms`, whichever comes first (never rejects;
 * the timer is cleared). For shutdown paths that must not wait on a store that is down.
 * @internal
 */
export async function settledWithin(
  promises: Iterable<Promise<unknown>>,
  ms: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(promises),
    new Promise((r) => (timer = setTimeout(r, ms))),
  ]);
  clearTimeout(timer);
}
