/**
 * Timeout semantics of waitFor/join/watch (pure timing logic, fake timers, stub store reads):
 * a ready result wins over `timeout: 0`; one deadline covers the first read and the wait after
 * it; `Infinity` and delays past Node's 2^31-1 ms timer limit wait; NaN, negative and
 * non-number values are refused at call time.
 */
import { jest } from '@jest/globals';
import { ResultTimeoutError } from '../errors/result-timeout.error.js';
import type { KeyBuilder } from '../protocol/keys.js';
import type { TaskMeta } from '../protocol/task-meta.js';
import type { IdCheck } from '../results/id-check.guard.js';
import { ResultWatcher } from './result-watcher.js';
import { armWaitGuard, checkWaitOptions, MAX_TIMER_MS } from './wait.guard.js';
import type { WatchEngine } from './watch-engine.js';

const DONE = { taskId: 'a', status: 'SUCCESS', result: 42 } as TaskMeta;
const after = <T>(ms: number, v: T): Promise<T> =>
  new Promise((r) => setTimeout(() => r(v), ms));

/** A watcher whose engine never delivers; its store never answers (down) unless `readMany` is given. */
function watcherOnDeadStore(
  readMany = () => new Promise<Map<string, TaskMeta>>(() => undefined),
): ResultWatcher {
  const engine = { watch: () => () => undefined } as unknown as WatchEngine;
  const keys = { taskKey: (id: string) => id } as unknown as KeyBuilder;
  const ids = { task: () => undefined } as unknown as IdCheck;
  return new ResultWatcher(
    engine,
    keys,
    () => ({ status: 'PENDING' }) as TaskMeta<never>,
    readMany,
    ids,
  );
}

describe('wait timeouts', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('timeout 0: a first read that answers after the 0 ms timer still returns the ready result', async () => {
    const ready = watcherOnDeadStore(() => after(5, new Map([['a', DONE]])));
    const got = ready.waitFor('a', { timeout: 0 });
    await jest.advanceTimersByTimeAsync(5);
    await expect(got).resolves.toBe(42);
  });

  it('a timeout below the 1 s first-read cap fails when that read gives up (store down)', async () => {
    const t0 = Date.now();
    let failedAt = -1;
    const failed = watcherOnDeadStore()
      .waitFor('a', { timeout: 100 })
      .catch((err: unknown) => ((failedAt = Date.now() - t0), err));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await failed).toEqual(new ResultTimeoutError(['a'], 100));
    expect(failedAt).toBeGreaterThanOrEqual(1_000); // the first read is never cut short
    expect(failedAt).toBeLessThanOrEqual(1_001); // and no second 100 ms after it
  });

  it('waitFor keeps one deadline over the first read and the wait (store down)', async () => {
    const t0 = Date.now();
    let failedAt = -1;
    const wait = watcherOnDeadStore().waitFor('a', { timeout: 1_000 });
    const failed = wait.catch((err: unknown) => {
      failedAt = Date.now() - t0; // on the fake clock
      return err;
    });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await failed).toEqual(new ResultTimeoutError(['a'], 1_000));
    // not 2,000: the first read's time is not given again (+1: Node runs a 0 ms timer at 1 ms)
    expect(failedAt).toBeGreaterThanOrEqual(1_000);
    expect(failedAt).toBeLessThanOrEqual(1_001);
  });

  it('Infinity arms no timer and never times out', () => {
    const fail = jest.fn();
    const disarm = armWaitGuard({ timeout: Infinity }, () => ['a'], fail);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(100 * 24 * 3600 * 1000);
    expect(fail).not.toHaveBeenCalled();
    disarm();
  });

  it.each([2 ** 31, 30 * 24 * 3600 * 1000, 3 * MAX_TIMER_MS])(
    '%d ms waits that long (chained timers), then times out',
    (ms) => {
      const fail = jest.fn();
      const disarm = armWaitGuard({ timeout: ms }, () => ['a'], fail);
      jest.advanceTimersByTime(ms - 1);
      expect(fail).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(fail).toHaveBeenCalledWith(new ResultTimeoutError(['a'], ms));
      disarm();
      expect(jest.getTimerCount()).toBe(0);
    },
  );

  it('counts from startedAt, and times out at once when that is past', () => {
    const fail = jest.fn();
    const started = Date.now();
    jest.advanceTimersByTime(600);
    armWaitGuard({ timeout: 1_000 }, () => ['a'], fail, started);
    jest.advanceTimersByTime(399);
    expect(fail).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fail).toHaveBeenCalledTimes(1);
    armWaitGuard({ timeout: 100 }, () => ['a'], fail, started);
    jest.advanceTimersByTime(0);
    expect(fail).toHaveBeenCalledTimes(2);
  });
});

describe('wait option checks', () => {
  it.each([
    [{ timeout: NaN }, RangeError],
    [{ timeout: -5 }, RangeError],
    [{ timeout: '5' }, TypeError],
    [{ interval: -1 }, RangeError],
    [{ interval: Infinity }, RangeError],
    [{ interval: null }, TypeError],
  ])('refuses %p', (opts, type) => {
    expect(() => checkWaitOptions(opts)).toThrow(type);
  });

  it.each([
    {},
    { timeout: 0 },
    { timeout: Infinity },
    { interval: 0, timeout: 2 ** 40 },
  ])('accepts %p', (opts) =>
    expect(() => checkWaitOptions(opts)).not.toThrow(),
  );

  it('waitFor, join, watch and watchMany refuse a bad timeout at call time', async () => {
    const w = watcherOnDeadStore();
    const bad = { timeout: NaN };
    await expect(w.waitFor('a', bad)).rejects.toThrow(RangeError);
    await expect(w.join(['a'], { timeout: -5 })).rejects.toThrow(RangeError);
    const errs: unknown[] = [];
    w.watch('a', bad).subscribe({ error: (e: unknown) => errs.push(e) });
    w.watchMany(['a'], bad).subscribe({ error: (e: unknown) => errs.push(e) });
    expect(errs).toEqual([expect.any(RangeError), expect.any(RangeError)]);
  });
});
