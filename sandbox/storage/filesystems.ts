// The filesystems a loop volume can carry. ext4 is preferred, but growing a mounted ext4 needs
// CAP_SYS_RESOURCE, which containers often drop (these machines do); XFS grows online with
// CAP_SYS_ADMIN alone. The store probes which one works once per start.
import { runCommand } from '../control-plane/run-command.ts';

export type FsKind = 'ext4' | 'xfs';

export type Filesystem = {
  readonly kind: FsKind;
  format(image: string): Promise<void>;
  readonly mountOptions: string;
  /** Grows the mounted filesystem to fill its (already grown) loop device. */
  grow(device: string, mountPoint: string): Promise<void>;
};

export const ext4: Filesystem = {
  kind: 'ext4',
  // -m 0: no blocks reserved for root (the database is not root). Lazy init plus noinit_itable
  // keep the sparse image from being filled with zeroed inode tables.
  format: async (image) => { await runCommand('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'nodiscard,lazy_itable_init=1,lazy_journal_init=1', image]); },
  mountOptions: 'loop,noatime,noinit_itable',
  grow: async (device) => { await runCommand('resize2fs', [device]); },
};

export const xfs: Filesystem = {
  kind: 'xfs',
  // mkfs.xfs refuses filesystems under 300 MB unless it believes it runs under fstests (all three
  // variables set); sandbox volumes are often smaller, and XFS handles them fine.
  format: async (image) => {
    await runCommand('mkfs.xfs', ['-q', '-f', '-K', image], { env: { ...process.env, TEST_DIR: '/nonexistent', TEST_DEV: 'sandbox', QA_CHECK_FS: 'sandbox' } });
  },
  mountOptions: 'loop,noatime',
  grow: async (_device, mountPoint) => { await runCommand('xfs_growfs', [mountPoint]); },
};

export function filesystemOf(kind: string): Filesystem | undefined {
  return kind === 'ext4' ? ext4 : kind === 'xfs' ? xfs : undefined;
}
