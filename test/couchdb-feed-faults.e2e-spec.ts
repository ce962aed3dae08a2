/**
 * CouchDB changes-feed faults against a real pouchdb-server, through a small HTTP proxy that
 * can spoil ONE `_changes` reply: an empty 200 body (what nano resolves for an aborted
 * long-poll) must count as a feed failure, and a reply that misses a change must still end
 * with the engine's safety re-read. Also: many concurrent requests on one store print no
 * MaxListenersExceededWarning. (Issue 17 §6.)
 */
import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { runInThisContext } from 'node:vm';
import { filter, firstValueFrom, tap, timeout } from 'rxjs';
import { createResultBackend } from '../libs/result-backend/src/result-backend.factory.js';
import type { ResultBackendService } from '../libs/result-backend/src/result-backend.service.js';
import { createCouchDbStore } from '../libs/result-backend/src/stores/couchdb/couchdb.store.js';
import {
  couchConfig,
  couchRaw,
  POUCHDB_SERVER_BIN,
  startCouchServer,
  type CouchTestServer,
} from './support/couchdb-server.js';
import { startHttpProxy, type ProxiedRequest } from './support/http-proxy.js';
import { eventually } from './support/redis-server.js';
import { describeWithServer } from './support/skip-gate.js';
import { testStoreContext } from './support/store-context.js';

/** How the proxy spoils the first `_changes` reply that mentions the armed id. */
type Fault = 'empty-body' | 'drop-changes';

/** A proxy in front of pouchdb-server that forwards everything, spoiling one feed reply. */
interface FeedProxy {
  readonly port: number;
  /** Spoil the next `_changes` reply whose upstream body mentions `id`. */
  arm(id: string, fault: Fault): void;
  /** `_changes` requests watching `id` that wait for their reply now. */
  feedsWaiting(id: string): number;
  /** Replies spoiled since the last `arm`. */
  readonly spoiled: number;
  close(): Promise<void>;
}

function spoil(body: Buffer, fault: Fault): Buffer {
  if (fault === 'empty-body') return Buffer.alloc(0);
  const reply = JSON.parse(body.toString('utf8')) as { last_seq: unknown };
  return Buffer.from(JSON.stringify({ results: [], last_seq: reply.last_seq }));
}

const isFeed = (req: ProxiedRequest): boolean => req.url.includes('/_changes');

async function startFeedProxy(upstreamPort: number): Promise<FeedProxy> {
  let armed: { id: string; fault: Fault } | undefined;
  let spoiled = 0;
  const proxy = await startHttpProxy(upstreamPort, {
    reply(req, body) {
      if (!isFeed(req) || !armed || !body.includes(armed.id)) return body;
      const out = spoil(body, armed.fault);
      armed = undefined;
      spoiled++;
      return out;
    },
  });
  return {
    port: proxy.port,
    arm: (id, fault) => {
      armed = { id, fault };
      spoiled = 0;
    },
    // The body of a `_changes` request lists the ids it watches.
    feedsWaiting: (id) =>
      proxy.pending((req) => isFeed(req) && req.body.includes(id)),
    get spoiled() {
      return spoiled;
    },
    close: () => proxy.close(),
  };
}

/** A logger that keeps warnings and errors. */
function keepingLogger(warnings: string[]): LoggerService {
  const keep = (m: unknown): void => {
    warnings.push(String(m));
  };
  return { log: () => undefined, warn: keep, error: keep };
}

const success = (id: string, result: number): string =>
  `{"status": "SUCCESS", "result": ${result}, "traceback": null, "children": [], "date_done": "2026-01-01T00:00:00", "task_id": "${id}"}`;

describeWithServer(
  [POUCHDB_SERVER_BIN],
  'couchdb changes feed faults (pouchdb-server behind a proxy)',
  () => {
    let srv: CouchTestServer;
    let proxy: FeedProxy;

    beforeAll(async () => {
      srv = await startCouchServer();
      proxy = await startFeedProxy(srv.port);
    });
    afterAll(async () => {
      await proxy?.close();
      await srv?.dispose();
    });

    /** A backend that reaches pouchdb-server through the proxy; its warnings go to `warnings`. */
    async function backend(
      db: string,
      pollIntervalMs: number,
      warnings: string[],
    ): Promise<ResultBackendService> {
      // The database exists before anything is written behind the backend's back.
      expect([201, 412]).toContain(
        (await couchRaw(srv, 'PUT', `/${db}`)).status,
      );
      return createResultBackend(
        { url: `couchdb://127.0.0.1:${proxy.port}/${db}`, pollIntervalMs },
        { logger: keepingLogger(warnings), read: () => undefined },
      );
    }
    /** A SUCCESS document written straight to pouchdb-server, as Celery writes it. */
    async function writeBehind(db: string, id: string, n: number) {
      const key = `celery-task-meta-${id}`;
      const res = await couchRaw(srv, 'PUT', `/${db}/${key}`, {
        _id: key,
        value: success(id, n),
      });
      expect(res.status).toBe(201);
    }

    /**
     * Watch `id` until it is ready (8 s at most). `watching` resolves once the engine's first
     * read said PENDING and the feed waits on the id, so a write after it reaches the watch
     * only through the feed or a later re-read.
     */
    function watchUntilReady(svc: ResultBackendService, id: string) {
      let first = false;
      const result = firstValueFrom(
        svc.watch<number>(id).pipe(
          tap(() => (first = true)),
          filter((m) => m.status === 'SUCCESS'),
          timeout(8_000),
        ),
      ).then((m) => m.result);
      result.catch(() => undefined); // awaited by the test; handled if it ends early
      const watching = eventually(
        () => first && proxy.feedsWaiting(id) > 0,
        5_000,
      );
      return { watching, result };
    }

    it('an empty long-poll reply is a feed failure: warned once, the engine re-reads and delivers', async () => {
      const warnings: string[] = [];
      // Fallback poll every 60 s, safety re-read every 600 s: only the engine's re-read on
      // `degraded` can deliver within the wait below.
      const svc = await backend('empty', 60_000, warnings);
      try {
        const id = randomUUID();
        proxy.arm(`celery-task-meta-${id}`, 'empty-body');
        const done = watchUntilReady(svc, id);
        await done.watching;
        await writeBehind('empty', id, 7);
        expect(await done.result).toBe(7);
        expect(proxy.spoiled).toBe(1);
        const feed = warnings.filter((w) => w.includes('changes feed'));
        expect(feed).toHaveLength(1);
        expect(feed[0]).toMatch(
          /^Result store couchdb:\/\/127\.0\.0\.1:\d+\/empty unavailable \(changes feed: changes feed reply without last_seq \(empty body\)\); retrying, one line when it is back$/,
        );
      } finally {
        await svc.close();
      }
    }, 15_000);

    it('a change the feed never reported is delivered by the safety re-read', async () => {
      const warnings: string[] = [];
      // Safety re-read every max(2 s, 10 × 100 ms) = 2 s while the feed looks healthy.
      const svc = await backend('missed', 100, warnings);
      try {
        const id = randomUUID();
        proxy.arm(`celery-task-meta-${id}`, 'drop-changes');
        const done = watchUntilReady(svc, id);
        await done.watching;
        await writeBehind('missed', id, 8);
        expect(await done.result).toBe(8);
        expect(proxy.spoiled).toBe(1);
        expect(warnings).toEqual([]); // the feed looked healthy throughout
      } finally {
        await svc.close();
      }
    }, 15_000);

    it('50 concurrent reads and waits on one store print no MaxListenersExceededWarning', async () => {
      const seen: string[] = [];
      const onWarning = (w: Error): void => {
        seen.push(`${w.name}: ${w.message}`);
      };
      // Jest's `process` is a copy that never sees Node's warnings: listen on the real one.
      const realProcess = runInThisContext('process') as NodeJS.Process;
      realProcess.on('warning', onWarning);
      const store = await createCouchDbStore(
        couchConfig(srv, 'listeners'),
        testStoreContext(),
      );
      const svc = await backend('listeners', 100, []);
      try {
        const ids = Array.from({ length: 50 }, () => randomUUID());
        const keys = ids.map((id) => `celery-task-meta-${id}`);
        expect(await Promise.all(keys.map((k) => store.get(k)))).toEqual(
          keys.map(() => null),
        );
        const waits = ids.map((id) =>
          svc.waitFor<number>(id, { timeout: 8_000 }),
        );
        for (const w of waits) w.catch(() => undefined); // awaited below; handled if we end early
        await Promise.all(ids.map((id, i) => writeBehind('listeners', id, i)));
        expect(await Promise.all(waits)).toEqual(ids.map((_, i) => i));
        await new Promise((r) => setImmediate(r)); // warnings are emitted on next tick
        expect(seen.filter((w) => w.includes('MaxListeners'))).toEqual([]);
      } finally {
        realProcess.off('warning', onWarning);
        await svc.close();
        await store.close();
      }
    }, 15_000);
  },
);
