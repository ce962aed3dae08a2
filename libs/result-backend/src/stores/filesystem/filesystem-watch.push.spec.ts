import { EventEmitter } from 'node:events';
import type { watch as fsWatch } from 'node:fs';
import { firstValueFrom, filter, timeout } from 'rxjs';
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

describe('FilesystemWatchPush safety net', () => {
  it('resyncs periodically while fs.watch is active, so dropped events cannot hang a watch', async () => {
    const push = new FilesystemWatchPush({
      dir: '/tmp',
      mode: 'auto',
      pollIntervalMs: 10,
      logger,
      watchFn: silentWatch,
    });
    await push.add(['celery-task-meta-x']);
    expect(push.active).toBe('watch');
    const ev = await firstValueFrom(
      push.events.pipe(
        filter((e) => e.type === 'resync'),
        timeout(5000),
      ),
    );
    expect(ev.type).toBe('resync');
    await push.remove(['celery-task-meta-x']);
    expect(push.active).toBe('none');
    push.close();
  });
});
