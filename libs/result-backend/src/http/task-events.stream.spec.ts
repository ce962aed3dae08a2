/** taskEvents and taskMetaView over the in-memory store: the JSON shape and the last event. */
import type { MessageEvent } from '@nestjs/common';
import { lastValueFrom, toArray } from 'rxjs';
import { inMemoryBackendPerTest } from '../../../../test/support/in-memory-backend.js';
import { taskEvents } from './task-events.stream.js';
import { taskMetaView } from './task-meta.view.js';

describe('taskMetaView', () => {
  const backend = inMemoryBackendPerTest();

  it('gives the documented fields of a success, and no internals', async () => {
    const results = backend();
    await results.markAsDone('ok', { n: 1 }, { request: { name: 'proj.add' } });
    const view = taskMetaView(await results.getTaskMeta('ok'));
    expect(Object.keys(view).sort()).toEqual(
      [
        'children',
        'dateDone',
        'name',
        'queue',
        'result',
        'status',
        'taskId',
        'traceback',
      ].sort(),
    );
    expect(view).toMatchObject({
      taskId: 'ok',
      status: 'SUCCESS',
      result: { n: 1 },
    });
    expect(view.dateDone).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('shows a failure as a plain exception object that serializes', async () => {
    const results = backend();
    await results.markAsFailure('bad', new RangeError('too big'));
    const json = JSON.parse(
      JSON.stringify(taskMetaView(await results.getTaskMeta('bad'))),
    ) as Record<string, unknown>;
    for (const key of ['raw', 'keys', 'dateDoneRaw', 'error', 'extra'])
      expect(json).not.toHaveProperty(key);
    expect(json).toMatchObject({
      status: 'FAILURE',
      exception: { type: 'ValueError', args: ['too big'] },
    });
  });
});

describe('taskEvents', () => {
  const backend = inMemoryBackendPerTest();

  const collect = (id: string, timeout?: number): Promise<MessageEvent[]> =>
    lastValueFrom(taskEvents(backend().watch(id, { timeout })).pipe(toArray()));

  it('one message per state, ending after the ready state', async () => {
    const results = backend();
    await results.markAsDone('t', 3);
    const events = await collect('t');
    expect(events).toEqual([
      {
        id: '1',
        data: expect.objectContaining({ status: 'SUCCESS', result: 3 }),
      },
    ]);
  });

  it('ends with a `timeout` event (202 body) instead of an error', async () => {
    const results = backend();
    const errors: unknown[] = [];
    const events = await lastValueFrom(
      taskEvents(results.watch('slow', { timeout: 50 }), {
        onError: (e) => errors.push(e),
      }).pipe(toArray()),
    );
    expect(events.map((e) => e.type)).toEqual([undefined, 'timeout']);
    expect(events[1]).toMatchObject({
      id: '2',
      data: { statusCode: 202, ready: false, taskIds: ['slow'] },
    });
    expect(errors).toHaveLength(1);
  });

  it('ends with an `error` event (503) when the backend shuts down', async () => {
    const results = backend();
    const events = collect('never');
    await new Promise((r) => setTimeout(r, 20));
    results.stopWatching();
    expect((await events).at(-1)).toMatchObject({
      type: 'error',
      data: { statusCode: 503, error: 'Service Unavailable' },
    });
  });
});
