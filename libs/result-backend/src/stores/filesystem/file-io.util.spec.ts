import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileOrNullSync } from './file-io-sync.util.js';
import { readFileOrNull } from './file-io.util.js';

describe('whole-file reads (async and sync share one chunk policy)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'file-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Around the 16 KiB first chunk, and past the first 4× larger one (16 + 64 KiB).
  it.each([0, 1, 16383, 16384, 16385, 81920, 81921, 300000])(
    'reads %i bytes exactly, async and sync',
    async (size) => {
      const path = join(dir, `f${size}`);
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) data[i] = (i * 7 + 3) % 251;
      writeFileSync(path, data);
      expect((await readFileOrNull(path))?.equals(data)).toBe(true);
      expect(readFileOrNullSync(path)?.equals(data)).toBe(true);
    },
  );

  it('gives null for a missing file and throws other errors', async () => {
    expect(await readFileOrNull(join(dir, 'missing'))).toBeNull();
    expect(readFileOrNullSync(join(dir, 'missing'))).toBeNull();
    await expect(readFileOrNull(dir)).rejects.toMatchObject({
      code: 'EISDIR',
    });
    expect(() => readFileOrNullSync(dir)).toThrow(
      expect.objectContaining({ code: 'EISDIR' }),
    );
  });
});
