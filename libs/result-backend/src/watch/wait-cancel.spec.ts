/**
 * Cancelling waits: an AbortSignal ends waitFor, watch and join with its reason and releases
 * the task's subscription; stopWatching() (Nest's beforeApplicationShutdown) fails every open
 * and later wait with ResultBackendClosedError while plain reads keep working.
 */
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ResultBackendClosedError } from '../errors/result-backend-closed.error.js';
import { inMemoryBackendPerTest } from '../../../../test/support/in-memory-backend.js';

describe('cancelling waits', () => {
  const backend = inMemoryBackendPerTest();

  it('waitFor rejects with the abort reason and unsubscribes', async () => {
    const results = backend();
    const controller = new AbortController();
    const wait = results.waitFor('never', { signal: controller.signal });
    await waitUntil(() => results.watching === 1);
    controller.abort(new Error('client went away'));
    await expect(wait).rejects.toThrow('client went away');
    expect(results.watching).toBe(0);
  });

  it('an already aborted signal rejects at once with an AbortError', async () => {
    const results = backend();
    const signal = AbortSignal.abort();
    await expect(results.waitFor('never', { signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(results.join(['a', 'b'], { signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(results.watching).toBe(0);
  });

  it('waitFor rejects with a non-Error abort reason unchanged, like watch and join', async () => {
    const results = backend();
    const controller = new AbortController();
    const wait = results.waitFor('never', { signal: controller.signal });
    await waitUntil(() => results.watching === 1);
    controller.abort('stop');
    await expect(wait).rejects.toBe('stop');
    expect(results.watching).toBe(0);
  });

  it('watch errors with the abort reason; join too', async () => {
    const results = backend();
    const controller = new AbortController();
    const metas = firstValueFrom(
      results.watch('never', { signal: controller.signal }).pipe(toArray()),
    );
    const joined = results.join(['x', 'y'], { signal: controller.signal });
    await waitUntil(() => results.watching === 3);
    controller.abort('stop');
    await expect(metas).rejects.toBe('stop');
    await expect(joined).rejects.toBe('stop');
    expect(results.watching).toBe(0);
  });

  it('a signal that never aborts changes nothing', async () => {
    const results = backend();
    const controller = new AbortController();
    const wait = results.waitFor<number>('t1', { signal: controller.signal });
    await results.markAsDone('t1', 42);
    await expect(wait).resolves.toBe(42);
  });

  it('stopWatching fails open and later waits with ResultBackendClosedError; reads still work', async () => {
    const results = backend();
    const wait = results.waitFor('never');
    const stream = lastValueFrom(results.watch('never-2'));
    await waitUntil(() => results.watching === 2);
    results.stopWatching();
    await expect(wait).rejects.toBeInstanceOf(ResultBackendClosedError);
    await expect(stream).rejects.toThrow(
      'Result backend default is shutting down',
    );
    await expect(results.waitFor('later')).rejects.toBeInstanceOf(
      ResultBackendClosedError,
    );
    await expect(lastValueFrom(results.watch('later'))).rejects.toBeInstanceOf(
      ResultBackendClosedError,
    );
    expect(results.watching).toBe(0);
    await results.markAsDone('t2', 1);
    expect((await results.getTaskMeta('t2')).result).toBe(1);
  });
});

async function waitUntil(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
