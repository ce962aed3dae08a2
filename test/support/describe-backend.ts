/**
 * `describeBackend(kind)`: one backend of the table (backend-table.ts) behind the skip gate,
 * its server started once for the whole file, and every contract run on it: the raw store
 * contract, the service contract (with the issue-13 fault cases) and the bad-id contract.
 * `specifics` adds tests that need the same running server.
 */
import type { LoggerService } from '@nestjs/common';
import {
  createResultBackend,
  type ResultBackendModuleOptions,
  type ResultBackendService,
} from '../../libs/result-backend/src/index.js';
import { parseBackendUrl } from '../../libs/result-backend/src/stores/backend-url.parser.js';
import { createBackendStore } from '../../libs/result-backend/src/stores/backends.js';
import type { ResultStore } from '../../libs/result-backend/src/stores/result-store.interface.js';
import {
  TEST_BACKENDS,
  type BackendCaps,
  type ContractKind,
  type RunningBackend,
  type ServerOf,
} from './backend-table.js';
import { runBadIdContract } from './bad-id-contract.js';
import { RecordingLogger } from './redis-server.js';
import { runServiceContract } from './service-contract.js';
import { describeWithServer } from './skip-gate.js';
import { testStoreContext } from './store-context.js';
import { runStoreContract } from './store-contract.js';

/** Runs every contract on `kind`; `specifics(backend)` registers more tests on the same server. */
export function describeBackend<K extends ContractKind>(
  kind: K,
  specifics?: (backend: () => RunningBackend<ServerOf<K>>) => void,
): void {
  const row = TEST_BACKENDS[kind];
  const caps: BackendCaps = row.caps;
  describeWithServer(row.binaries, `${kind} backend`, () => {
    let running: RunningBackend<ServerOf<K>> | undefined;
    const backend = (): RunningBackend<ServerOf<K>> => {
      if (!running) throw new Error(`${kind}: the backend did not start`);
      return running;
    };
    beforeAll(async () => {
      running = await row.start();
    }, 60_000);
    afterAll(async () => {
      await running?.stop();
    });

    describe('store', () => {
      let store: ResultStore | undefined;
      beforeAll(async () => {
        const { url = '', ...settings } = backend().options;
        store = await createBackendStore(
          parseBackendUrl(url, settings),
          testStoreContext([], 100),
        );
      });
      afterAll(async () => {
        await store?.close();
      });
      runStoreContract(() => {
        if (!store) throw new Error(`${kind}: the store did not open`);
        return store;
      }, caps);
    });
    runServiceContract(() => backend().options, caps);
    runBadIdContract(() => backend().options, caps.badIds);
    specifics?.(backend);
  });
}

/**
 * A service on the running backend for specific tests: opened in beforeAll with `logger` and
 * `extra` options (settings from the environment ignored), closed in afterAll. Returns its getter.
 */
export function serviceOn(
  backend: () => RunningBackend<unknown>,
  logger?: LoggerService,
  extra: ResultBackendModuleOptions = {},
): () => ResultBackendService {
  let svc: ResultBackendService | undefined;
  beforeAll(async () => {
    svc = await createResultBackend(
      { ...backend().options, ...extra },
      { logger, read: () => undefined },
    );
  });
  afterAll(async () => {
    await svc?.close();
  });
  return () => {
    if (!svc) throw new Error('the service did not open');
    return svc;
  };
}

/** What {@link describeSpecifics} gives a backend's own tests (getters, valid once they run). */
export interface SpecificsContext<S> {
  /** The running test server. */
  readonly server: () => S;
  /** A service opened on it (see {@link serviceOn}), logging to `logger`. */
  readonly service: () => ResultBackendService;
  /** Everything the service logged. */
  readonly logger: RecordingLogger;
}

/**
 * A backend's own tests on its running server: `tests` gets the server, a service on it and
 * what that service logs; a last test checks that nothing logged a password.
 */
export function describeSpecifics<S>(
  title: string,
  backend: () => RunningBackend<S>,
  tests: (ctx: SpecificsContext<S>) => void,
): void {
  describe(title, () => {
    const logger = new RecordingLogger();
    const service = serviceOn(backend, logger);
    tests({ server: () => backend().server, service, logger });
    it('never logs a password', () => {
      expect(logger.lines.join('\n')).not.toMatch(/password/i);
    });
  });
}
