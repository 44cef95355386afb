// The sandbox runs the operator image the way the real image does: plain JavaScript compiled from
// src/ by TypeScript 7 (tsconfig.build.json, as config/Dockerfile), so the sandbox and the
// benchmarks measure the image's memory, not type stripping's (≈ 25 MiB more RSS). A build is
// keyed by a hash of its inputs and kept under node_modules/.cache/og-operator/, from where the
// compiled files still resolve the repository's node_modules. The node agent runs the build that
// matches the current sources and falls back to `node src/main.ts` when there is none, so an
// edited source never hides behind a stale build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { runCommand } from './control-plane/run-command.ts';
import { HarnessError, HarnessErrorCodes } from './harness-error.ts';

const compilerDir = ['node_modules', 'typescript-7'];

/** The files tsconfig.build.json compiles: src/**\/*.ts but tests and fixtures, in a stable order. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  }).sort();
}

/** Where the build of the current sources lives (it may not exist yet). */
export function operatorBuildDir(repoRoot: string): string {
  const inputs = [join(repoRoot, 'tsconfig.json'), join(repoRoot, 'tsconfig.build.json'), join(repoRoot, ...compilerDir, 'package.json'), ...sources(join(repoRoot, 'src'))];
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  return join(repoRoot, 'node_modules', '.cache', 'og-operator', hash.digest('hex').slice(0, 16));
}

/** What the sandbox runs for the operator image: the build of the current sources, else the sources. */
export function operatorEntryPoint(repoRoot: string): string {
  const built = join(operatorBuildDir(repoRoot), 'main.js');
  return existsSync(built) ? built : join(repoRoot, 'src', 'main.ts');
}

async function compile(repoRoot: string, outDir: string): Promise<void> {
  const tsc = join(repoRoot, ...compilerDir, 'bin', 'tsc');
  // --noCheck: emit like type stripping runs, type errors included; `npm run typecheck` judges types.
  await runCommand(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.build.json'), '--noCheck', '--outDir', outDir], { cwd: repoRoot });
}

/** Builds of older sources: nothing runs them any more (a running process has loaded its modules). */
async function pruneOthers(dir: string): Promise<void> {
  const parent = dirname(dir);
  for (const entry of await readdir(parent)) {
    if (entry !== basename(dir) && !entry.endsWith('.partial')) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

/** Compiles the current sources unless their build exists; returns the build's directory. */
export async function ensureOperatorBuild(repoRoot: string): Promise<string> {
  const dir = operatorBuildDir(repoRoot);
  if (existsSync(join(dir, 'main.js'))) return dir;
  await mkdir(dirname(dir), { recursive: true, mode: 0o755 });
  // Emitted beside the target and renamed: a Pod starting meanwhile never runs half a build.
  const partial = `${dir}.${process.pid}.partial`;
  try {
    await compile(repoRoot, partial);
    await rename(partial, dir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // A concurrent start may have renamed its build into place first.
    if (existsSync(join(dir, 'main.js'))) return dir;
    throw new HarnessError(HarnessErrorCodes.BUILD_FAILED, `compiling the operator with tsconfig.build.json failed: ${(error as Error).message}`, { cause: error });
  }
  await pruneOthers(dir);
  return dir;
}
