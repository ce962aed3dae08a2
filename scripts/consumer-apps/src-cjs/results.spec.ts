import { Test } from '@nestjs/testing';
import {
  ResultBackendModule,
  ResultBackendService,
} from 'nestjs-celery-result-backend';
import {
  inMemoryResultBackend,
  recordTask,
} from 'nestjs-celery-result-backend/testing';

describe('ResultBackendModule in a testing module', () => {
  it('provides the service on the in-memory backend', async () => {
    const ref = await Test.createTestingModule({
      imports: [ResultBackendModule.forRoot({ url: 'cache+memory://' })],
    }).compile();
    const results = ref.get(ResultBackendService);
    const wait = results.waitFor<number>('t1', { timeout: 5000 });
    await results.markAsDone('t1', 42);
    expect(await wait).toBe(42);
    await ref.close();
  });

  it('records each state with the testing helpers', async () => {
    const results = await inMemoryResultBackend();
    const rec = await recordTask(results.watch('t2'));
    await results.markAsStarted('t2');
    await rec.until('STARTED');
    await results.markAsDone('t2', 'ok');
    expect((await rec.done).map((m) => m.status)).toEqual([
      'PENDING',
      'STARTED',
      'SUCCESS',
    ]);
    await results.close();
  });
});
