/**
 * The backend table covers every backend the library implements, and each kind has its
 * contract file here (`<kind>.e2e-spec.ts` calling `describeBackend('<kind>'…)`), so every
 * backend runs every contract.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS } from '../../libs/result-backend/src/stores/backends.js';
import { TEST_BACKENDS } from '../support/backend-table.js';

const here = dirname(fileURLToPath(import.meta.url));
const kinds = BACKENDS.map((b) => b.kind).filter((k) => k !== 'disabled');

describe('the backend table', () => {
  it('has one row per backend of the library (all but disabled)', () => {
    expect(Object.keys(TEST_BACKENDS).sort()).toEqual([...kinds].sort());
  });

  it.each(kinds)('runs the contracts on %s in its own file', (kind) => {
    expect(readdirSync(here)).toContain(`${kind}.e2e-spec.ts`);
    expect(readFileSync(join(here, `${kind}.e2e-spec.ts`), 'utf8')).toMatch(
      new RegExp(`describeBackend\\(\\s*'${kind}'`),
    );
  });
});
