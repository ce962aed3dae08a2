import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { ImproperlyConfiguredError } from '../../errors/index.js';
import type { ResultStore } from '../result-store.interface.js';

const SETTING = 'CELERY_RESULT_BACKEND';
const EXAMPLE = 'file:///var/lib/celery/results';

/** The configuration error for a bad `file://` directory. @internal */
export function badDirectory(problem: string): ImproperlyConfiguredError {
  return new ImproperlyConfiguredError(SETTING, problem, EXAMPLE);
}

/**
 * Celery's startup self-test: the directory must exist, and writing, reading back and
 * deleting `.fs-backend-<uuid>` (content `test value`) through the store must work.
 * @throws ImproperlyConfiguredError otherwise.
 * @internal
 */
export async function filesystemSelfTest(
  dir: string,
  store: Pick<ResultStore, 'get' | 'set' | 'delete'>,
): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw badDirectory(`${dir} is not a directory`);
    }
  } catch (e) {
    if (e instanceof ImproperlyConfiguredError) throw e;
    throw badDirectory(`${dir} does not exist`);
  }
  const probe = `.fs-backend-${randomUUID()}`;
  try {
    await store.set(probe, 'test value', null, false);
    const back = await store.get(probe);
    await store.delete(probe);
    if (back !== 'test value') throw new Error('read back different bytes');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw badDirectory(
      `the directory ${dir} does not work (${why}); make sure it exists and is writable`,
    );
  }
}
