/**
 * PostgreSQL (LISTEN) and CouchDB (changes feed) outages: one outage, one start line, one end line (issue 17 §5), per backend instance, whatever the
 * number of its parts: a real server is killed while watches are pending and restarted; every
 * part that goes down (command connection, subscriber, changes feed, LISTEN client, the watch
 * engine's reads) reports to the instance's one outage log. Between the kill and the recovery
 * the backend writes exactly one WARN (masked description, first cause) and one LOG (with the
 * duration); per-part detail is debug only. The pending watches are delivered after recovery.
 */
import { installPostgresqlNotifyTrigger } from '../libs/result-backend/src/configuration.js';
import { createResultBackend } from '../libs/result-backend/src/index.js';
import {
  POUCHDB_SERVER_BIN,
  startCouchServer,
} from './support/couchdb-server.js';
import { PG_BINARIES, startPostgresql } from './support/postgresql-server.js';
import { closesAfterEach } from './support/cleanup.js';
import { outageLogsOnce } from './support/outage-log-case.js';
import { describeWithServer } from './support/skip-gate.js';

const own = closesAfterEach();

describeWithServer(PG_BINARIES, 'outage log: PostgreSQL with LISTEN', () => {
  it('logs one line when the outage starts and one when it ends (LISTEN client, reads)', async () => {
    const pg = await startPostgresql();
    try {
      await pg.createDatabase('outage');
      const url = pg.url('outage');
      const setup = await createResultBackend({
        url,
        postgresql: { createTables: true },
      });
      await setup.close();
      const pool = pg.pool('outage');
      try {
        await installPostgresqlNotifyTrigger(pool);
      } finally {
        await pool.end();
      }
      await outageLogsOnce(
        own,
        {
          url,
          kill: () => pg.kill('SIGQUIT'), // immediate shutdown: children too
          restart: () => pg.restart(),
          stop: () => pg.stop(),
        },
        ['LISTEN connection', 'watch reads'],
      );
    } finally {
      await pg.stop();
    }
  }, 60_000);
});

describeWithServer([POUCHDB_SERVER_BIN], 'outage log: CouchDB', () => {
  it('logs one line when the outage starts and one when it ends (changes feed, reads)', async () => {
    const couch = await startCouchServer();
    try {
      await outageLogsOnce(
        own,
        {
          url: `couchdb://127.0.0.1:${couch.port}/outage`,
          kill: () => couch.stop(),
          restart: () => couch.restart(),
          stop: () => couch.dispose(),
        },
        ['changes feed', 'watch reads'],
      );
    } finally {
      await couch.dispose();
    }
  }, 60_000);
});
