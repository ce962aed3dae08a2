/**
 * A kept-alive connection the server closes as a request arrives ("other side closed"): the
 * CouchDB store sends a read or a revision-guarded PUT once more on a fresh connection, and
 * reports any other request's failure as `BackendUnavailableError`. Real pouchdb-server
 * behind a proxy that drops the armed request's socket without answering (what a server's
 * idle-socket timeout does to a request racing it). Seen as a flake in the CouchDB interop.
 */
import { randomUUID } from 'node:crypto';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import { createCouchDbStore } from '../libs/result-backend/src/stores/couchdb/couchdb.store.js';
import {
  couchConfig,
  couchRaw,
  POUCHDB_SERVER_BIN,
  startCouchServer,
  type CouchTestServer,
} from './support/couchdb-server.js';
import { startHttpProxy } from './support/http-proxy.js';
import { describeWithServer } from './support/skip-gate.js';
import { testStoreContext } from './support/store-context.js';

/** Forwards everything; the next request whose method is armed loses its socket, unanswered. */
async function startDroppingProxy(upstreamPort: number) {
  let armed: string | undefined;
  let dropped = 0;
  const proxy = await startHttpProxy(upstreamPort, {
    drop(method) {
      if (armed !== method) return false;
      armed = undefined;
      dropped++;
      return true;
    },
  });
  return {
    port: proxy.port,
    arm: (method: string) => (armed = method),
    get dropped() {
      return dropped;
    },
    close: () => proxy.close(),
  };
}

const doc = (id: string, status: string): string =>
  `{"status": "${status}", "result": 7, "traceback": null, "children": [], "date_done": null, "task_id": "${id}"}`;

describeWithServer(
  [POUCHDB_SERVER_BIN],
  'couchdb store: a socket closed under a request (pouchdb-server behind a proxy)',
  () => {
    let srv: CouchTestServer;
    let proxy: Awaited<ReturnType<typeof startDroppingProxy>>;
    const db = 'stale';

    beforeAll(async () => {
      srv = await startCouchServer();
      proxy = await startDroppingProxy(srv.port);
      expect([201, 412]).toContain(
        (await couchRaw(srv, 'PUT', `/${db}`)).status,
      );
    });
    afterAll(async () => {
      await proxy?.close();
      await srv?.dispose();
    });

    async function withStore<T>(
      fn: (store: Awaited<ReturnType<typeof createCouchDbStore>>) => Promise<T>,
    ): Promise<T> {
      const store = await createCouchDbStore(
        { ...couchConfig(srv, db), port: proxy.port },
        testStoreContext(),
      );
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    }

    it('a GET is sent once more and reads the document', async () => {
      const id = randomUUID();
      const key = `celery-task-meta-${id}`;
      await withStore(async (store) => {
        expect(await store.set(key, doc(id, 'SUCCESS'), null, true)).toBe(
          'written',
        );
        const before = proxy.dropped;
        proxy.arm('GET');
        expect(await store.get(key)).toBe(doc(id, 'SUCCESS'));
        expect(proxy.dropped).toBe(before + 1);
      });
    });

    it('a PUT is sent once more and the write lands once', async () => {
      const id = randomUUID();
      const key = `celery-task-meta-${id}`;
      await withStore(async (store) => {
        const before = proxy.dropped;
        proxy.arm('PUT');
        expect(await store.set(key, doc(id, 'STARTED'), null, true)).toBe(
          'written',
        );
        expect(proxy.dropped).toBe(before + 1);
        expect(await store.get(key)).toBe(doc(id, 'STARTED'));
      });
    });

    it('a DELETE is not repeated: BackendUnavailableError, nothing lost', async () => {
      const id = randomUUID();
      const key = `celery-task-meta-${id}`;
      await withStore(async (store) => {
        expect(await store.set(key, doc(id, 'SUCCESS'), null, true)).toBe(
          'written',
        );
        proxy.arm('DELETE');
        await expect(store.delete(key)).rejects.toBeInstanceOf(
          BackendUnavailableError,
        );
        expect(await store.get(key)).toBe(doc(id, 'SUCCESS'));
      });
    });
  },
);
