// The provisioner's volumes on this machine, under <stateDir>/volumes/. As root with loop
// devices each volume is a sparse image (ext4, or XFS where ext4 cannot grow online) mounted at
// mnt/<name>, so `df` shows the real size and a full volume answers ENOSPC; otherwise mnt/<name>
// is a plain directory and sizes only live in the PV. Every operation is idempotent: the
// provisioner retries them.
import { chmod, mkdir, open, readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../control-plane/run-command.ts';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { ext4, filesystemOf, xfs, type Filesystem, type FsKind } from './filesystems.ts';
import { readMounts } from './mounts.ts';

export type VolumeMode =
  | { readonly kind: 'loop'; readonly fs: FsKind; readonly onlineExpansion: boolean; readonly note?: string }
  | { readonly kind: 'directory'; readonly why: string };

export type VolumeStore = {
  readonly mode: VolumeMode;
  /** Absolute path a PV points at (`local.path`). */
  pathOf(name: string): string;
  /** Creates (or re-mounts after a restart) a volume of at least sizeBytes. */
  ensure(name: string, sizeBytes: number): Promise<void>;
  /** Grows a volume online: image file, loop device, then the mounted filesystem. */
  expand(name: string, sizeBytes: number): Promise<void>;
  /** Unmounts and deletes the volume and its data. */
  remove(name: string): Promise<void>;
};

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;
const PROBE_BYTES = 16 * 2 ** 20;

export function volumesDir(stateDir: string): string {
  return join(stateDir, 'volumes');
}

export type OpenVolumeStoreOptions = { readonly forceDirectories?: boolean; readonly filesystem?: FsKind };

export async function openVolumeStore(stateDir: string, options: OpenVolumeStoreOptions = {}): Promise<VolumeStore> {
  const root = volumesDir(stateDir);
  await mkdir(join(root, 'mnt'), { recursive: true });
  const pathOf = (name: string): string => join(root, 'mnt', checkName(name));
  const imageOf = (name: string): string => join(root, `${checkName(name)}.img`);
  const mode: VolumeMode = options.forceDirectories === true ? { kind: 'directory', why: 'directories were requested' } : await probeLoopSupport(root, options.filesystem);
  if (mode.kind === 'directory') return directoryStore(mode, pathOf);
  const fs = filesystemOf(mode.fs) ?? ext4;
  return {
    mode,
    pathOf,
    ensure: (name, sizeBytes) => ensureLoopVolume(fs, imageOf(name), pathOf(name), sizeBytes),
    expand: (name, sizeBytes) => expandLoopVolume(fs, imageOf(name), pathOf(name), sizeBytes),
    remove: async (name) => {
      await unmount(pathOf(name), false);
      await rm(imageOf(name), { force: true });
      await rm(pathOf(name), { recursive: true, force: true });
    },
  };
}

function directoryStore(mode: VolumeMode, pathOf: (name: string) => string): VolumeStore {
  return {
    mode,
    pathOf,
    ensure: async (name) => {
      await mkdir(pathOf(name), { recursive: true });
      await chmod(pathOf(name), 0o777);
    },
    // Directories have no size of their own: the PV records the new capacity.
    expand: () => Promise.resolve(),
    remove: (name) => rm(pathOf(name), { recursive: true, force: true }),
  };
}

// Names become file names: only what `pvc-<uid>` can contain.
function checkName(name: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{0,252}$/.test(name)) throw new HarnessError(HarnessErrorCodes.USAGE, `${JSON.stringify(name)} is not a valid volume name`);
  return name;
}

/** Loop mode needs root, loop devices and a real disk; then the first filesystem that grows online wins. */
export async function probeLoopSupport(root: string, only?: FsKind): Promise<VolumeMode> {
  if (process.getuid?.() !== 0) return { kind: 'directory', why: 'not running as root' };
  const { type } = await statfs(root);
  if (type === TMPFS_MAGIC || type === RAMFS_MAGIC) return { kind: 'directory', why: `${root} is on tmpfs; images must live on disk` };
  const failures: string[] = [];
  const candidates = only === undefined ? [ext4, xfs] : [filesystemOf(only) ?? ext4];
  for (const fs of candidates) {
    const result = await probeFilesystem(root, fs);
    if (result === 'grows') return { kind: 'loop', fs: fs.kind, onlineExpansion: true };
    failures.push(`${fs.kind}: ${result}`);
  }
  // Still loop-mounted ext4 when it mounts but cannot grow: real capacity matters more.
  if (failures[0]?.startsWith('ext4: mounts') === true) return { kind: 'loop', fs: 'ext4', onlineExpansion: false, note: failures.join('; ') };
  return { kind: 'directory', why: `loop-mounted images are not available (${failures.join('; ')})` };
}

async function probeFilesystem(root: string, fs: Filesystem): Promise<string> {
  const image = join(root, `.probe-${fs.kind}.img`);
  const mountPoint = join(root, `.probe-${fs.kind}`);
  let mounted = false;
  try {
    await ensureLoopVolume(fs, image, mountPoint, PROBE_BYTES);
    mounted = true;
    await expandLoopVolume(fs, image, mountPoint, 2 * PROBE_BYTES);
    return 'grows';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return mounted ? `mounts but cannot grow online (${message})` : message;
  } finally {
    await unmount(mountPoint, true).catch(() => undefined);
    await rm(image, { force: true });
    await rm(mountPoint, { recursive: true, force: true });
  }
}

async function ensureLoopVolume(fs: Filesystem, image: string, mountPoint: string, sizeBytes: number): Promise<void> {
  if (await isMountPoint(mountPoint)) return;
  await mkdir(mountPoint, { recursive: true });
  if (!(await exists(image))) {
    await setFileSize(image, sizeBytes);
    await fs.format(image);
  }
  await runCommand('mount', ['-o', fs.mountOptions, image, mountPoint]);
  await chmod(mountPoint, 0o777);
}

async function expandLoopVolume(fs: Filesystem, image: string, mountPoint: string, sizeBytes: number): Promise<void> {
  await ensureLoopVolume(fs, image, mountPoint, sizeBytes);
  if ((await stat(image)).size < sizeBytes) await setFileSize(image, sizeBytes);
  const mount = (await readMounts()).find((m) => m.mountPoint === mountPoint);
  if (mount === undefined || !mount.source.startsWith('/dev/loop')) throw new HarnessError(HarnessErrorCodes.STATE, `${mountPoint} is not loop-mounted`);
  await runCommand('losetup', ['-c', mount.source]);
  // An image made on another machine may carry the other filesystem: grow what is mounted.
  await (filesystemOf(mount.fsType) ?? fs).grow(mount.source, mountPoint);
}

async function setFileSize(path: string, sizeBytes: number): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await handle.truncate(sizeBytes);
  } finally {
    await handle.close();
  }
}

async function unmount(mountPoint: string, lazy: boolean): Promise<void> {
  if (!(await isMountPoint(mountPoint))) return;
  await runCommand('umount', lazy ? ['-l', mountPoint] : [mountPoint]);
}

async function isMountPoint(path: string): Promise<boolean> {
  return (await readMounts()).some((m) => m.mountPoint === path);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/**
 * Teardown: unmounts everything under <stateDir>/volumes (lazily if busy, so teardown never
 * hangs on a leftover process), detaches loop devices still holding our images, deletes it all.
 */
export async function cleanupVolumes(stateDir: string): Promise<void> {
  const root = volumesDir(stateDir);
  if (!(await exists(root))) return;
  const mounted = (await readMounts()).filter((m) => m.mountPoint.startsWith(`${root}/`)).sort((a, b) => b.mountPoint.length - a.mountPoint.length);
  for (const { mountPoint } of mounted) {
    await runCommand('umount', [mountPoint]).catch(() => runCommand('umount', ['-l', mountPoint]));
  }
  for (const file of (await readdir(root)).filter((f) => f.endsWith('.img'))) {
    const attached = await runCommand('losetup', ['-j', join(root, file)]).catch(() => ({ stdout: '' }));
    for (const line of attached.stdout.split('\n').filter((l) => l.includes(':'))) {
      await runCommand('losetup', ['-d', line.split(':')[0] ?? '']).catch(() => undefined);
    }
  }
  await rm(root, { recursive: true, force: true });
}
