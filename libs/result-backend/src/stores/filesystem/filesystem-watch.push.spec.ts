import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { watch as fsWatch } from 'node:fs';
import type { StoreEvent } from '../result-store.interface.js';
import { FilesystemWatchPush } from './filesystem-watch.push.js';

/** An fs.watch that never reports anything: the kernel dropped every event. */
const silentWatch = (() =>
  Object.assign(new EventEmitter(), {
    close: () => undefined,
  })) as unknown as typeof fsWatch;
const logger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('FilesystemWatchPush', () => {
  it('never polls by itself: a silent fs.watch emits nothing (the engine owns the safety re-read)', async () => {
    jest.useFakeTimers();
    try {
      const push = new FilesystemWatchPush({
        dir: '/tmp',
        mode: 'auto',
        logger,
        watchFn: silentWatch,
      });
      const seen: StoreEvent[] = [];
      push.events.subscribe((e) => seen.push(e));
      await push.add(['celery-task-meta-x']);
      expect(push.active).toBe('watch');
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(60_000);
      expect(seen).toEqual([]);
      await push.remove(['celery-task-meta-x']);
      expect(push.active).toBe('none');
      push.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
