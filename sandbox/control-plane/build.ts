// Builds etcd and the Kubernetes control plane from the official Go modules (wrapper modules in
// hack/k8sbin and hack/etcdbin) into a cache keyed by version, wrapper module and Go version,
// and reuses a cache entry while it is intact. SANDBOX_BIN_DIR points at prebuilt binaries instead.
import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { cacheRoot, computeCacheKey, isCacheEntryIntact, writeManifest } from './build-cache.ts';
import { withFileLock } from './file-lock.ts';
import { goTooOldMessage } from './go-version.ts';
import { runCommand } from './run-command.ts';
import { etcdVersion, kubeBinaries, kubernetesVersion, type ControlPlaneBinary } from './versions.ts';

export type ControlPlaneBinaries = Readonly<Record<ControlPlaneBinary, string>> & { readonly dirs: readonly string[] };
export type BuildOptions = {
  readonly repoRoot: string; readonly log: (line: string) => void; readonly env?: NodeJS.ProcessEnv;
  /** Ctrl-C or SIGTERM: a running `go build` is interrupted and its partial entry removed. */
  readonly signal?: AbortSignal | undefined;
};

type Target = { readonly component: 'kube' | 'etcd'; readonly version: string; readonly moduleDir: string; readonly names: readonly string[]; readonly packages: readonly string[]; readonly ldflags: string };

function targets(repoRoot: string): readonly Target[] {
  const minor = kubernetesVersion.split('.')[1] ?? '';
  const versionVars = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => [`-X ${pkg}.gitVersion=${kubernetesVersion}`, `-X ${pkg}.gitMajor=1`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`]);
  return [
    { component: 'kube', version: kubernetesVersion, moduleDir: join(repoRoot, 'hack/k8sbin'), names: kubeBinaries,
      packages: kubeBinaries.map((b) => `k8s.io/kubernetes/cmd/${b}`), ldflags: ['-s', '-w', ...versionVars].join(' ') },
    { component: 'etcd', version: etcdVersion, moduleDir: join(repoRoot, 'hack/etcdbin'), names: ['etcd'],
      packages: ['go.etcd.io/etcd/server/v3'], ldflags: '-s -w' },
  ];
}

const goEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' });

async function goVersion(env: NodeJS.ProcessEnv): Promise<string> {
  try {
    // The build's own environment: GOTOOLCHAIN=local, so `go version` names the Go that builds
    // (and never downloads one).
    return (await runCommand('go', ['version'], { env: goEnv(env) })).stdout.trim();
  } catch (error) {
    throw new HarnessError(HarnessErrorCodes.MISSING_TOOL, 'no Go toolchain: install Go 1.26 or newer and put `go` on PATH (needed to build the control plane)', { cause: error });
  }
}

async function entryDir(target: Target, goVer: string, env: NodeJS.ProcessEnv): Promise<string> {
  const [mod, sum] = await Promise.all([readFile(join(target.moduleDir, 'go.mod'), 'utf8'), readFile(join(target.moduleDir, 'go.sum'), 'utf8')]);
  const key = computeCacheKey([mod, sum, goVer]);
  return join(cacheRoot(env), target.component, `${target.version}-linux-${process.arch === 'x64' ? 'amd64' : process.arch}-${key}`);
}

async function requireGoFor(target: Target, repoRoot: string, goVer: string): Promise<void> {
  const goModPath = join(target.moduleDir, 'go.mod');
  const complaint = goTooOldMessage(goVer, [{ path: relative(repoRoot, goModPath), goMod: await readFile(goModPath, 'utf8') }]);
  if (complaint !== undefined) throw new HarnessError(HarnessErrorCodes.GO_TOO_OLD, complaint);
}

function runLogged(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, logPath: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logPath, { flags: 'a' });
    out.write(`$ go ${args.join(' ')}\n`);
    // SIGINT, as from a terminal: go then stops its compilers too.
    const child = spawn('go', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGINT' });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', (error) => { out.end(); reject(signal?.aborted === true ? signal.reason as Error : error); });
    child.on('close', (code) => {
      out.end();
      if (code === 0) resolve();
      else if (signal?.aborted === true) reject(signal.reason as Error);
      else reject(new HarnessError(HarnessErrorCodes.BUILD_FAILED, `control-plane build failed (go exited ${code}); see ${logPath}`));
    });
  });
}

async function buildTarget(target: Target, dir: string, options: BuildOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const logDir = join(cacheRoot(env), 'logs');
  await mkdir(logDir, { recursive: true });
  const logPath = join(logDir, `build-${target.component}-${target.version}.log`);
  const started = performance.now();
  options.log(`building ${target.component} ${target.version} from Go modules (log: ${logPath}); a cold build takes minutes`);
  // One package: name the file (go would call etcd's `server`); several: go names each after its command.
  const output = target.packages.length === 1 ? join(tmp, target.names[0] ?? '') : `${tmp}/`;
  try {
    await runLogged(['build', '-trimpath', '-ldflags', target.ldflags, '-o', output, ...target.packages], target.moduleDir, goEnv(env), logPath, options.signal);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }); // leave no partial entry behind
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  await writeManifest(tmp, target.version, target.names, seconds);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  options.log(`built ${target.component} ${target.version} in ${seconds.toFixed(0)} s`);
}

async function fromOverride(dir: string): Promise<ControlPlaneBinaries> {
  const names: readonly ControlPlaneBinary[] = [...kubeBinaries, 'etcd'];
  for (const name of names) {
    await access(join(dir, name)).catch((error: unknown) => {
      throw new HarnessError(HarnessErrorCodes.MISSING_TOOL, `SANDBOX_BIN_DIR=${dir} has no ${name}`, { cause: error });
    });
  }
  return { ...(Object.fromEntries(names.map((n) => [n, join(dir, n)])) as Record<ControlPlaneBinary, string>), dirs: [dir] };
}

/** Returns the paths of all control-plane binaries, building what the cache lacks. */
export async function ensureControlPlaneBinaries(options: BuildOptions): Promise<ControlPlaneBinaries> {
  const env = options.env ?? process.env;
  const override = env['SANDBOX_BIN_DIR'];
  if (override) return fromOverride(override);
  const goVer = await goVersion(env);
  const paths: Partial<Record<ControlPlaneBinary, string>> = {};
  const dirs: string[] = [];
  for (const target of targets(options.repoRoot)) {
    options.signal?.throwIfAborted();
    const dir = await entryDir(target, goVer, env);
    if (!(await isCacheEntryIntact(dir, target.names))) {
      await requireGoFor(target, options.repoRoot, goVer);
      await mkdir(join(cacheRoot(env), target.component), { recursive: true });
      await withFileLock(`${dir}.lock`, () => options.log(`waiting for another run that is building ${target.component}`), async () => {
        if (!(await isCacheEntryIntact(dir, target.names))) await buildTarget(target, dir, options, env);
      }, options.signal);
    }
    for (const name of target.names) paths[name as ControlPlaneBinary] = join(dir, name);
    dirs.push(dir);
  }
  return { ...(paths as Record<ControlPlaneBinary, string>), dirs };
}
