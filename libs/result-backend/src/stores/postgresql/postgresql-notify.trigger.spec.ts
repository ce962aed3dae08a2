/**
 * The SQL the NOTIFY trigger installer and remover send, in order (a recording pool, no server;
 * the e2e PostgreSQL specs run the installer on a real server).
 */
import type { PgPoolLike } from './postgresql.options.js';
import {
  installPostgresqlNotifyTrigger,
  removePostgresqlNotifyTrigger,
} from './postgresql-notify.trigger.js';

/** A pool that records every statement it is given. */
function recordingPool(): PgPoolLike & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    query: (text: string) => {
      sent.push(text);
      return Promise.resolve({ rows: [], rowCount: 0 });
    },
    connect: () => Promise.reject(new Error('not used')),
  };
}

describe('PostgreSQL NOTIFY trigger', () => {
  it('installs the function, then replaces the trigger on celery_taskmeta', async () => {
    const pool = recordingPool();
    await installPostgresqlNotifyTrigger(pool);
    expect(pool.sent).toEqual([
      `CREATE OR REPLACE FUNCTION "celery_result_notify"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('celery_result', NEW.task_id); RETURN NEW; END $$`,
      'DROP TRIGGER IF EXISTS "celery_result_notify" ON "celery_taskmeta"',
      'CREATE TRIGGER "celery_result_notify" AFTER INSERT OR UPDATE ON "celery_taskmeta" FOR EACH ROW EXECUTE FUNCTION "celery_result_notify"()',
    ]);
  });

  it('removes the trigger, then the function, on a schema-qualified table', async () => {
    const pool = recordingPool();
    await removePostgresqlNotifyTrigger(pool, {
      taskSchema: 'app',
      taskTable: 'results',
    });
    expect(pool.sent).toEqual([
      'DROP TRIGGER IF EXISTS "celery_result_notify" ON "app"."results"',
      'DROP FUNCTION IF EXISTS "app"."celery_result_notify"()',
    ]);
  });

  it('refuses a name that is not a plain SQL identifier before sending anything', async () => {
    const pool = recordingPool();
    await expect(
      installPostgresqlNotifyTrigger(pool, {
        taskTable: 'x"; DROP TABLE y; --',
      }),
    ).rejects.toThrow('not a plain SQL identifier');
    expect(pool.sent).toEqual([]);
  });
});
