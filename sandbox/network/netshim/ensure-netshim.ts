// Builds the netshim LD_PRELOAD library with the machine's gcc, once per source version: the
// output lands in a directory keyed by a hash of the C source and the compiler version, so
// every sandbox start after the first is a stat() call.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../control-plane/run-command.ts';
import { HarnessError, HarnessErrorCodes } from '../../harness-error.ts';

const sourcePath = join(dirname(fileURLToPath(import.meta.url)), 'netshim.c');
const libraryName = 'libnetshim.so';

export type EnsureNetshimOptions = {
  /** Where built libraries are kept (one subdirectory per source hash); default `<tmpdir>/og-netshim-<uid>`. */
  readonly cacheDir?: string;
  /** The compiler to run; default `gcc` from PATH. */
  readonly compiler?: string;
};

/** Returns the absolute path of a built libnetshim.so, building it first when needed. */
export async function ensureNetshim(options: EnsureNetshimOptions = {}): Promise<string> {
  const compiler = options.compiler ?? 'gcc';
  const source = await readFile(sourcePath);
  const version = await compilerVersion(compiler);
  const key = createHash('sha256').update(source).update('\0').update(version).update('\0').update(process.arch).digest('hex').slice(0, 12);
  const dir = join(options.cacheDir ?? join(tmpdir(), `og-netshim-${process.getuid?.() ?? 0}`), key);
  const target = join(dir, libraryName);
  if (!(await exists(target))) await build(compiler, dir, target);
  await assertReadableByAll(target);
  return target;
}

async function build(compiler: string, dir: string, target: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  // Build beside the target and rename: concurrent starts never load a half-written library.
  const partial = join(dir, `${libraryName}.${process.pid}.partial`);
  try {
    await runCommand(compiler, ['-shared', '-fPIC', '-O2', '-Wall', '-o', partial, sourcePath, '-ldl']);
    await chmod(partial, 0o755);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof HarnessError && error.code === HarnessErrorCodes.MISSING_TOOL) throw error;
    throw new HarnessError(HarnessErrorCodes.BUILD_FAILED, `building the network shim ${sourcePath} failed`, { cause: error });
  }
}

// Pods may run as any user (runAsUser); ld.so skips an LD_PRELOAD it cannot open with only a
// warning, and the Pod would silently use 127.0.0.1. So the path must be open to everyone.
async function assertReadableByAll(target: string): Promise<void> {
  if (((await stat(target)).mode & 0o004) === 0) {
    throw new HarnessError(HarnessErrorCodes.STATE, `${target} is not readable by all users; Pods running as non-root could not load it`);
  }
  for (let dir = dirname(target); dir !== dirname(dir); dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new HarnessError(HarnessErrorCodes.STATE, `${dir} is not searchable by all users, so Pods running as non-root could not load ${target}: pick another cacheDir`);
    }
  }
}

async function compilerVersion(compiler: string): Promise<string> {
  try {
    return (await runCommand(compiler, ['-dumpfullversion'])).stdout.trim();
  } catch (error) {
    throw new HarnessError(HarnessErrorCodes.MISSING_TOOL, `${compiler} is not installed: the sandbox needs it to build its network shim (Debian package gcc)`, { cause: error });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    // Any stat failure means "build it": the build reports real problems.
    return false;
  }
}
