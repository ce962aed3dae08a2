import { existsSync } from 'node:fs';
import { isLocalFilesystem } from './filesystem-kind.probe.js';

describe('isLocalFilesystem', () => {
  it('knows tmpfs is local', async () => {
    if (!existsSync('/dev/shm'))
      throw new Error('this check needs /dev/shm (tmpfs)');
    await expect(isLocalFilesystem('/dev/shm')).resolves.toBe(true);
  });

  it('treats pseudo and unknown filesystems as not local', async () => {
    await expect(isLocalFilesystem('/proc')).resolves.toBe(false);
  });

  it('answers false for a missing directory instead of throwing', async () => {
    await expect(isLocalFilesystem('/definitely/not/here')).resolves.toBe(
      false,
    );
  });
});
