/**
 * Every contract of the backend table on `cache+memcached://` (two servers), then ids as
 * memcached keys them: the 250-byte key limit, non-ASCII whitespace (U+00A0, U+2028, U+3000…,
 * which memcached accepts: its keys end at an ASCII space only) and an unreadable stored value
 * that fails alone.
 */
import { randomUUID } from 'node:crypto';
import {
  MalformedResultError,
  type ResultBackendService,
} from '../../libs/result-backend/src/index.js';
import { describeBackend, serviceOn } from '../support/describe-backend.js';
import { rawMemcached } from '../support/memcached-server.js';

describeBackend('memcached', (backend) =>
  describe('ids as memcached keys', () => {
    const service = serviceOn(backend, undefined, { pollIntervalMs: 50 });
    let svc: ResultBackendService;
    beforeAll(() => {
      svc = service();
    });

    it('accepts a 233-byte id (a 250-byte key, the limit)', async () => {
      const id = 'y'.repeat(233);
      await svc.markAsDone(id, 'edge');
      await expect(svc.getTaskMeta(id)).resolves.toMatchObject({
        status: 'SUCCESS',
        result: 'edge',
      });
    });

    it('a key whose stored value is unreadable fails alone; 10 good waiters are delivered', async () => {
      const bad = randomUUID();
      // Flags 1 = a pickled value (pylibmc): permanently unreadable for us. On every server,
      // so the one the key hashes to holds it.
      for (const mc of backend().server)
        await rawMemcached(
          mc.port,
          `set celery-task-meta-${bad} 1 0 3\r\nabc\r\n`,
        );
      const badWait = svc
        .waitFor(bad, { timeout: 20_000 })
        .catch((e: unknown) => e);
      const good = Array.from({ length: 10 }, () => randomUUID());
      const goodWaits = good.map((id) =>
        svc.waitFor<string>(id, { timeout: 20_000 }),
      );
      await new Promise((r) => setTimeout(r, 300));
      await Promise.all(good.map((id) => svc.markAsDone(id, `ok-${id}`)));
      await expect(Promise.all(goodWaits)).resolves.toEqual(
        good.map((id) => `ok-${id}`),
      );
      expect(await badWait).toBeInstanceOf(MalformedResultError);
    });

    it.each(['a\u00a0b', 'a\u2028b', 'a\u3000b', 'a\u0085b', 'a\ufeffb'])(
      'stores and reads %j (memcached keys end at an ASCII space only)',
      async (id) => {
        const unrelated = randomUUID();
        await svc.markAsDone(unrelated, 'other');
        await expect(svc.markAsDone(id, 1)).resolves.toBe('written');
        await expect(svc.getTaskMeta(id)).resolves.toMatchObject({
          status: 'SUCCESS',
          result: 1,
        });
        await expect(svc.waitFor(id, { timeout: 5000 })).resolves.toBe(1);
        await expect(svc.getStatus(unrelated)).resolves.toBe('SUCCESS');
        await svc.forget(id);
      },
    );
  }),
);
