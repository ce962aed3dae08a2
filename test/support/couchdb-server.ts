/**
 * pouchdb-server (npm devDependency) standing in for CouchDB in the tests: in memory (`-m`),
 * on a free loopback port, with a temp dir as its cwd (it writes config.json and log.txt
 * there). `restart()` brings it back on the same port, empty (in-memory data is lost).
 */
import type { CouchDbBackendConfig } from '../../libs/result-backend/src/stores/couchdb/couchdb.options.js';
import { join, resolve } from 'node:path';
import {
  getFreePort,
  startServer,
  startServerGroup,
  type TestServer,
} from './server-process.js';

/** The pouchdb-server binary installed by `npm install` (devDependency). */
export const POUCHDB_SERVER_BIN = 'node_modules/.bin/pouchdb-server';

/** A running pouchdb-server. */
export interface CouchTestServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Stop it (data is lost). Idempotent. */
  stop(): Promise<void>;
  /** Stop it and start a new one on the same port. */
  restart(): Promise<void>;
  /** Stop it and remove its temp dir. Idempotent. */
  dispose(): Promise<void>;
}

async function launch(dir: string, port: number): Promise<TestServer> {
  return startServer({
    command: process.execPath,
    args: [
      resolve(POUCHDB_SERVER_BIN),
      '-m',
      '-p',
      String(port),
      '-o',
      '127.0.0.1',
      '-n',
      '--no-color',
      '-c',
      join(dir, 'config.json'),
    ],
    port,
    cwd: dir,
    env: { NODE_NO_WARNINGS: '1' },
    ready: async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`pouchdb-server answered ${res.status}`);
    },
  });
}

/** Start pouchdb-server in memory on a free (or the given) loopback port. */
export async function startCouchServer(
  port?: number,
): Promise<CouchTestServer> {
  const group = await startServerGroup('pouchdb-server-');
  const p = port ?? (await getFreePort());
  try {
    await group.start(p, () => launch(group.dir, p));
  } catch (err) {
    await group.stop();
    throw err;
  }
  const stop = (): Promise<void> => group.stopOne(p, 'SIGTERM');
  return {
    port: p,
    url: `http://127.0.0.1:${p}`,
    stop,
    async restart() {
      await stop();
      await group.restart(p);
    },
    dispose: () => group.stop('SIGTERM'),
  };
}

/** Store config for a running server. */
export function couchConfig(
  srv: CouchTestServer,
  database: string,
  auth?: { username: string; password: string },
): CouchDbBackendConfig {
  return {
    kind: 'couchdb',
    protocol: 'http',
    host: '127.0.0.1',
    port: srv.port,
    database,
    ...(auth ?? {}),
  };
}

/** Raw HTTP to the server (bypassing the store), parsed JSON and status. */
export async function couchRaw(
  srv: CouchTestServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}
