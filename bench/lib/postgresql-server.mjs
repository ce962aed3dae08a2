// The benches' PostgreSQL is the tests' (test/support/postgresql-server.ts, compiled by
// `npm run bench` into dist/bench-support): fsync off, so the numbers measure the client side;
// 200 connections for the many-pool cases. Its `pool(db, max)` connects over TCP like the
// library does, so raw and library figures share one transport.
import { existsSync } from 'node:fs';
import {
  PG_BINARIES,
  startPostgresql as startTestPostgresql,
} from '../../dist/bench-support/test/support/postgresql-server.js';

export const HAS_POSTGRES = PG_BINARIES.every((bin) => existsSync(bin));

/** Start PostgreSQL; returns { port, url(db), pool(db, max), createDatabase(name), stop() }. */
export async function startPostgresql() {
  const server = await startTestPostgresql({
    settings: { max_connections: '200' },
  });
  return {
    ...server,
    pool: (db = 'postgres', max = 10) => server.pool(db, { max, tcp: true }),
  };
}
