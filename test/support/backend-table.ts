/**
 * The one table of backends the contracts run on: for each kind, what it needs installed, how
 * to start its server(s), the module options that open it, and what differs (capabilities).
 * `describeBackend(kind)` (describe-backend.ts) runs every contract that applies on it; each
 * kind has its file `test/contracts/<kind>.e2e-spec.ts` (checked by every-backend.e2e-spec.ts).
 * Adding a backend = one entry here + one file there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultBackendModuleOptions } from '../../libs/result-backend/src/index.js';
import type { BackendKind } from '../../libs/result-backend/src/stores/backends.js';
import { startCouchServer, POUCHDB_SERVER_BIN } from './couchdb-server.js';
import {
  startMemcacheds,
  type MemcachedTestServer,
} from './memcached-server.js';
import { PG_BINARIES, startPostgresql } from './postgresql-server.js';
import { startCluster } from './redis-cluster-server.js';
import { startRedis } from './redis-server.js';
import { startSentinels } from './redis-sentinel-server.js';
import { S3RVER_BIN, startS3rver } from './s3-server.js';

/** A started backend: the options that open it, and its server handle for specific tests. */
export interface RunningBackend<S> {
  /** Module options opening this backend (URL plus backend settings). */
  readonly options: ResultBackendModuleOptions;
  /** The server handle (for tests that reach the server from the side). */
  readonly server: S;
  /** Stop the server(s) and remove temp files. */
  stop(): Promise<void>;
}

/** What differs between backends, as the contracts need it. */
export interface BackendCaps {
  /** The store pushes changes (the store contract checks `push`). */
  readonly push: boolean;
  /** SQL rows: only task documents can be stored, read back equal in value (not bytes). */
  readonly rows?: boolean;
  /** Poll interval for the service contract (ms). */
  readonly pollIntervalMs?: number;
  /** Ids this store cannot key beyond the ones no store can (the bad-id contract refuses them). */
  readonly badIds?: readonly string[];
}

/** One row of the table. */
export interface TestBackend<S> {
  /** Binaries the skip gate checks. */
  readonly binaries: readonly string[];
  readonly caps: BackendCaps;
  start(): Promise<RunningBackend<S>>;
}

/** Backend kinds the contracts run on (every kind but `disabled`, which stores nothing). */
export type ContractKind = Exclude<BackendKind, 'disabled'>;

const S3_BUCKET = 'contract';

/** A backend opened by its server's own URL. */
async function byUrl<S extends { url: string; stop(): Promise<void> }>(
  starting: Promise<S>,
): Promise<RunningBackend<S>> {
  const server = await starting;
  return { options: { url: server.url }, server, stop: () => server.stop() };
}

/** The table. Its type makes a missing kind a compile error. */
export const TEST_BACKENDS = {
  memory: {
    binaries: [],
    caps: { push: true },
    start: async () => ({
      options: { url: 'cache+memory://' },
      server: undefined,
      stop: async () => undefined,
    }),
  },
  filesystem: {
    binaries: [],
    caps: {
      push: true,
      badIds: ['a/b', 'a\\b', '../x', 'x'.repeat(250)],
    },
    start: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rb-contract-fs-'));
      return {
        options: { url: `file://${dir}` },
        server: dir,
        stop: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  redis: {
    binaries: ['redis-server'],
    caps: { push: true },
    start: () => byUrl(startRedis()),
  },
  'redis-cluster': {
    binaries: ['redis-server', 'redis-cli'],
    caps: { push: true },
    start: () => byUrl(startCluster()),
  },
  sentinel: {
    binaries: ['redis-server'],
    caps: { push: true },
    start: () => byUrl(startSentinels()),
  },
  s3: {
    binaries: [S3RVER_BIN],
    caps: { push: false },
    start: async () => {
      const srv = await startS3rver([S3_BUCKET]);
      return {
        options: {
          url: `s3://S3RVER:S3RVER@${S3_BUCKET}/contract/?endpoint_url=${srv.endpointUrl}&region=us-east-1`,
        },
        server: srv,
        stop: () => srv.stop(),
      };
    },
  },
  couchdb: {
    binaries: [POUCHDB_SERVER_BIN],
    caps: { push: true },
    start: async () => {
      const srv = await startCouchServer();
      return {
        options: { url: `couchdb://127.0.0.1:${srv.port}/contract` },
        server: srv,
        stop: () => srv.dispose(),
      };
    },
  },
  memcached: {
    binaries: ['memcached'],
    caps: {
      push: false,
      // 'celery-task-meta-' is 17 bytes: a 234-byte id makes a 251-byte key (limit 250).
      badIds: ['a b', 'a\tb', 'x'.repeat(234)],
    },
    start: async () => {
      const mcs: MemcachedTestServer[] = await startMemcacheds(2);
      return {
        options: {
          url: `cache+memcached://${mcs.map((m) => m.address).join(';')}/`,
        },
        server: mcs,
        stop: async () => {
          await Promise.all(mcs.map((m) => m.stop('SIGTERM')));
        },
      };
    },
  },
  postgresql: {
    binaries: PG_BINARIES,
    caps: { push: false, rows: true, pollIntervalMs: 100 },
    start: async () => {
      const server = await startPostgresql();
      return {
        options: {
          url: server.url(),
          postgresql: { createTables: true, extended: true },
        },
        server,
        stop: () => server.stop(),
      };
    },
  },
} satisfies Record<ContractKind, TestBackend<unknown>>;

/** The server handle type of a kind. */
export type ServerOf<K extends ContractKind> = Awaited<
  ReturnType<(typeof TEST_BACKENDS)[K]['start']>
>['server'];
