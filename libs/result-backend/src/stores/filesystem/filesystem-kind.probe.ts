import { statfs } from 'node:fs/promises';

/**
 * `statfs` type magic numbers of local, kernel-backed filesystems (Linux): reads of the small
 * files Celery writes come from the page cache there and block for microseconds.
 * Anything else (NFS, SMB/CIFS, FUSE, 9p, Ceph, unknown) counts as remote.
 */
const LOCAL_FS_TYPES = new Set<number>([
  0xef53, // ext2/3/4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0x794c7630, // overlayfs
  0x2fc12fc1, // zfs
  0xf2f52010, // f2fs
  0x3153464a, // jfs
  0x52654973, // reiserfs
]);

/**
 * Whether `dir` is on a local filesystem (Linux `statfs`). False when unknown or on error,
 * so callers fall back to the non-blocking path.
 * @internal
 */
export async function isLocalFilesystem(dir: string): Promise<boolean> {
  try {
    const { type } = await statfs(dir);
    return LOCAL_FS_TYPES.has(Number(type));
  } catch {
    return false;
  }
}
