import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServiceContract } from './support/service-contract.js';

describe('service on file://', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-fs-service-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  runServiceContract(() => ({ url: `file://${dir}` }));
});
