/**
 * Wrong credentials on Redis Cluster: every node requires a password (`requirepass`). A wrong
 * or missing password in the URL fails every call, watch and `waitFor` at once with a
 * permanent BackendUnavailableError naming the reply (WRONGPASS / NOAUTH), never with the
 * password in the error or the log; the right one works.
 */
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createResultBackend } from '../libs/result-backend/src/index.js';
import {
  expectNoPasswordLogged,
  expectRefused,
  PASSWORD,
  WRONG,
} from './support/auth-refusal.js';
import { closesAfterEach } from './support/cleanup.js';
import {
  startCluster,
  type TestCluster,
} from './support/redis-cluster-server.js';
import { RecordingLogger } from './support/redis-server.js';
import { describeWithServer } from './support/skip-gate.js';

jest.setTimeout(20_000);

const own = closesAfterEach();

describeWithServer(
  ['redis-server', 'redis-cli'],
  'Redis Cluster with a wrong password',
  () => {
    let cluster: TestCluster;
    let logger: RecordingLogger;
    /** The cluster's URL with `auth` (`:password@` or empty). */
    const url = (auth: string): string =>
      cluster.url.replace('redis+cluster://', `redis+cluster://${auth}`);

    beforeAll(async () => {
      cluster = await startCluster({ password: PASSWORD });
    }, 40_000);
    afterAll(() => cluster?.stop());
    beforeEach(() => {
      logger = new RecordingLogger();
    });
    afterEach(() => expectNoPasswordLogged(logger));

    it('the right password works (the cluster requires one)', async () => {
      const svc = own(
        await createResultBackend({ url: url(`:${PASSWORD}@`) }, { logger }),
      );
      const id = randomUUID();
      const waited = svc.waitFor(id, { timeout: 10_000 });
      await svc.markAsDone(id, 'ok');
      await expect(waited).resolves.toBe('ok');
    });

    it('a wrong password fails calls, watches and waitFor at once (WRONGPASS)', async () => {
      const svc = own(
        await createResultBackend({ url: url(`:${WRONG}@`) }, { logger }),
      );
      expect(svc.description).not.toContain(WRONG);
      await expectRefused(svc, /WRONGPASS/);
    });

    it('no password fails the same way (NOAUTH)', async () => {
      const svc = own(await createResultBackend({ url: url('') }, { logger }));
      await expectRefused(svc, /NOAUTH/);
    });
  },
);
