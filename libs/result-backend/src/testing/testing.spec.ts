/** The testing helpers: the in-memory backend and the watch recorder, as the README shows them. */
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { lastValueFrom, toArray } from 'rxjs';
import { ResultBackendModule } from '../result-backend.module.js';
import { ResultBackendService } from '../result-backend.service.js';
import { inMemoryResultBackend, recordTask } from './index.js';

describe('testing helpers', () => {
  let results: ResultBackendService;
  beforeEach(async () => {
    results = await inMemoryResultBackend();
  });
  afterEach(() => results.close());

  it('inMemoryResultBackend ignores CELERY_RESULT_BACKEND', async () => {
    const saved = process.env.CELERY_RESULT_BACKEND;
    process.env.CELERY_RESULT_BACKEND = 'redis://nowhere:1/0';
    try {
      const other = await inMemoryResultBackend({ expires: 60 });
      expect([other.kind, other.expires]).toEqual(['memory', 60]);
      await other.close();
    } finally {
      if (saved === undefined) delete process.env.CELERY_RESULT_BACKEND;
      else process.env.CELERY_RESULT_BACKEND = saved;
    }
  });

  it('overrides the service of an app module, as the README shows', async () => {
    @Module({
      imports: [ResultBackendModule.forRoot({ url: 'redis://nowhere:1/0' })],
    })
    class AppModule {}
    const ref = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(ResultBackendService)
      .useFactory({ factory: () => inMemoryResultBackend() })
      .compile();
    const svc = ref.get(ResultBackendService);
    expect(svc.kind).toBe('memory');
    await svc.markAsDone('x', 1);
    expect(await svc.waitFor('x')).toBe(1);
    await ref.close();
  });

  it('a watch coalesces writes made before its first read', async () => {
    const all = lastValueFrom(results.watch('t0').pipe(toArray()));
    await results.markAsStarted('t0');
    await results.markAsDone('t0', 1);
    expect((await all).map((m) => m.status)).toEqual(['SUCCESS']);
  });

  it('recordTask sees every state when each is awaited', async () => {
    const rec = await recordTask(results.watch<number>('t1'));
    expect(rec.statuses).toEqual(['PENDING']);
    await results.markAsStarted('t1');
    await rec.until('STARTED');
    await results.markAsDone('t1', 3);
    const metas = await rec.done;
    expect(metas.map((m) => m.status)).toEqual([
      'PENDING',
      'STARTED',
      'SUCCESS',
    ]);
    expect(metas.at(-1)?.result).toBe(3);
  });

  it('recordTask passes a watch error on', async () => {
    const rec = await recordTask(results.watch('t2', { timeout: 30 }));
    await expect(rec.done).rejects.toThrow(/timed out/);
    await expect(rec.until('SUCCESS')).rejects.toThrow(/timed out/);
  });
});
