// [root] Loop-mounted ext4 volumes in a temporary state dir on disk; cleaned up even on failure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { cleanupVolumes, openVolumeStore, volumesDir, type VolumeStore } from './volume-store.ts';
import { readMounts } from './mounts.ts';
import { runCommand } from '../control-plane/run-command.ts';

const MiB = 2 ** 20;
const skip = userInfo().uid !== 0 ? 'needs root for loop devices' : false;

async function sizeOf(path: string): Promise<number> {
  const s = await statfs(path);
  return s.blocks * s.bsize;
}

/** Writes 1 MiB chunks until the volume is full; returns the error code that stopped it. */
async function fill(path: string): Promise<string> {
  const handle = await open(join(path, 'fill'), 'w');
  const chunk = Buffer.alloc(MiB, 1);
  try {
    for (let i = 0; i < 1024; i++) await handle.write(chunk);
    return 'never full';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unknown';
  } finally {
    await handle.close().catch(() => undefined);
  }
}

describe('openVolumeStore with loop devices [root]', { skip }, () => {
  let stateDir = '';
  let store: VolumeStore;

  // Under the repo's .sandbox-free temp area on disk: /tmp here is a real disk, never tmpfs.
  before(async () => {
    stateDir = await mkdtemp('/var/tmp/og-volumes-test-');
    store = await openVolumeStore(stateDir);
  });
  after(async () => {
    await cleanupVolumes(stateDir);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('picks loop mode with a filesystem that grows online on this machine', () => {
    assert.equal(store.mode.kind, 'loop');
    assert.equal(store.mode.kind === 'loop' && store.mode.onlineExpansion, true);
  });

  it('creates a sparse image whose filesystem has the requested size', async () => {
    await store.ensure('pvc-a', 32 * MiB);
    const size = await sizeOf(store.pathOf('pvc-a'));
    assert.ok(size > 24 * MiB && size <= 32 * MiB, `df size ${size}`);
    const image = await stat(join(volumesDir(stateDir), 'pvc-a.img'));
    assert.equal(image.size, 32 * MiB);
    assert.ok(image.blocks * 512 < 16 * MiB, `image uses ${image.blocks * 512} bytes on disk`);
    assert.equal((await stat(store.pathOf('pvc-a'))).mode & 0o777, 0o777);
  });

  it('answers ENOSPC when the volume is full', async () => {
    assert.equal(await fill(store.pathOf('pvc-a')), 'ENOSPC');
  });

  it('grows a mounted volume online and makes room', async () => {
    const before = await sizeOf(store.pathOf('pvc-a'));
    await store.expand('pvc-a', 64 * MiB);
    const grown = await sizeOf(store.pathOf('pvc-a'));
    assert.ok(grown > before + 24 * MiB, `${before} → ${grown}`);
    await writeFile(join(store.pathOf('pvc-a'), 'more'), Buffer.alloc(8 * MiB));
  });

  it('re-mounts an existing image with its data after a restart, and ensure is idempotent', async () => {
    await writeFile(join(store.pathOf('pvc-a'), 'marker'), 'kept');
    await runCommand('umount', [store.pathOf('pvc-a')]);
    await store.ensure('pvc-a', 64 * MiB);
    await store.ensure('pvc-a', 64 * MiB);
    assert.equal(await readFile(join(store.pathOf('pvc-a'), 'marker'), 'utf8'), 'kept');
    assert.equal((await readMounts()).filter((m) => m.mountPoint === store.pathOf('pvc-a')).length, 1);
  });

  it('removes a volume: unmounted, image and directory gone', async () => {
    await store.ensure('pvc-b', 16 * MiB);
    await store.remove('pvc-b');
    await store.remove('pvc-b');
    assert.equal((await readMounts()).some((m) => m.mountPoint === store.pathOf('pvc-b')), false);
    await assert.rejects(stat(join(volumesDir(stateDir), 'pvc-b.img')));
  });

  it('cleans up every volume on teardown, detaching loop devices', async () => {
    await store.ensure('pvc-c', 16 * MiB);
    const image = join(volumesDir(stateDir), 'pvc-c.img');
    await cleanupVolumes(stateDir);
    assert.equal((await readMounts()).some((m) => m.mountPoint.startsWith(volumesDir(stateDir))), false);
    assert.equal((await runCommand('losetup', ['-j', image])).stdout.trim(), '');
    await assert.rejects(stat(volumesDir(stateDir)));
  });
});

describe('openVolumeStore with ext4 only [root]', { skip }, () => {
  it('keeps loop-mounted ext4 even where it cannot grow online, and says so', async () => {
    const stateDir = await mkdtemp('/var/tmp/og-volumes-ext4-test-');
    try {
      const store = await openVolumeStore(stateDir, { filesystem: 'ext4' });
      assert.equal(store.mode.kind === 'loop' && store.mode.fs, 'ext4');
      if (store.mode.kind === 'loop' && !store.mode.onlineExpansion) assert.match(store.mode.note ?? '', /cannot grow online/);
    } finally {
      await cleanupVolumes(stateDir);
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

describe('openVolumeStore with directories', () => {
  let stateDir = '';
  before(async () => { stateDir = await mkdtemp('/var/tmp/og-volumes-dir-test-'); });
  after(async () => { await rm(stateDir, { recursive: true, force: true }); });

  it('falls back to plain directories and says why', async () => {
    const store = await openVolumeStore(stateDir, { forceDirectories: true });
    assert.equal(store.mode.kind, 'directory');
    await store.ensure('pvc-d', 10 * MiB);
    assert.ok((await stat(store.pathOf('pvc-d'))).isDirectory());
    await store.expand('pvc-d', 20 * MiB);
    await store.remove('pvc-d');
    await assert.rejects(stat(store.pathOf('pvc-d')));
  });

  it('refuses volume names that are not plain file names', async () => {
    const store = await openVolumeStore(stateDir, { forceDirectories: true });
    assert.throws(() => store.pathOf('../etc'), /not a valid volume name/);
  });
});
