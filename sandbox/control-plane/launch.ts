// Starts a control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) as
// local processes on loopback ports, with certificates of its own, and stops it without
// leaving a process or a bound port. Several can run at once: each has its own state dir and ports.
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../harness-error.ts';
import type { ControlPlaneBinaries } from './build.ts';
import { apiServerArgs, apiServerKubeletClientName, controllerManagerArgs, etcdArgs, schedulerArgs, type Layout } from './component-args.ts';
import { httpGet, waitUntilReady, type TlsClient } from './health.ts';
import { renderCertificateKubeconfig } from './kubeconfig.ts';
import { caKeyPair, ensureCertificateAuthority, ensureServiceAccountKey, issueCertificate } from './pki.ts';
import { allocatePorts, type ControlPlanePorts } from './ports.ts';
import { killNow, startProcess, stopProcess, type RecordedProcess } from './processes.ts';
import { removeState, writeState, type ControlPlaneState } from './state.ts';
import type { ControlPlaneBinary } from './versions.ts';

export type StartOptions = {
  readonly stateDir: string;
  readonly binaries: ControlPlaneBinaries;
  /** Fixed ports to prefer when all are free; ephemeral ports otherwise. */
  readonly preferredPorts?: ControlPlanePorts;
  /** etcd data directory; tests put it on tmpfs. Default `<stateDir>/etcd`. */
  readonly etcdDataDir?: string;
  /** fsync in etcd; off only for throwaway test data. */
  readonly fsync?: boolean;
  /** Kill the components when this Node process exits (tests); off for a detached sandbox. */
  readonly killOnExit?: boolean;
  readonly log?: (line: string) => void;
  /** Aborted by Ctrl-C or SIGTERM: start-up stops, and whatever it started is stopped again. */
  readonly signal?: AbortSignal | undefined;
};

export type RunningControlPlane = {
  readonly stateDir: string;
  readonly apiServerUrl: string;
  readonly ports: ControlPlanePorts;
  readonly pkiDir: string;
  /** Admin kubeconfig (system:masters). */
  readonly kubeconfigPath: string;
  readonly kubectlPath: string;
  readonly processes: readonly RecordedProcess[];
  /** Issues a client-certificate kubeconfig for a user and groups, written under `<stateDir>/kubeconfigs/`. */
  issueKubeconfig(user: string, groups: readonly string[], fileStem: string): Promise<string>;
  stop(): Promise<void>;
};

const readyDeadlineMs = 120_000;

async function preparePki(pkiDir: string): Promise<void> {
  await ensureCertificateAuthority(pkiDir);
  await ensureServiceAccountKey(pkiDir);
  await issueCertificate(pkiDir, {
    name: 'apiserver', commonName: 'kube-apiserver', usage: 'server', ipAddresses: ['127.0.0.1', '198.18.0.1'],
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
  });
  // The apiserver's identity towards node agents (their kubelet API refuses anyone else).
  await issueCertificate(pkiDir, { name: 'apiserver-kubelet-client', commonName: apiServerKubeletClientName, usage: 'client' });
}

type Identity = { readonly user: string; readonly groups: readonly string[]; readonly certName: string };

async function writeKubeconfig(stateDir: string, server: string, identity: Identity, path: string): Promise<string> {
  const pkiDir = join(stateDir, 'pki');
  const { user, groups, certName } = identity;
  const pair = await issueCertificate(pkiDir, { name: certName, commonName: user, organizations: groups, usage: 'client' });
  await writeFile(path, await renderCertificateKubeconfig(server, caKeyPair(pkiDir).certPath, pair, user), { mode: 0o600 });
  return path;
}

async function adminTls(pkiDir: string): Promise<TlsClient> {
  const [ca, cert, key] = await Promise.all(['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(pkiDir, f), 'utf8')));
  return { ca, cert, key } as TlsClient;
}

type Started = { procs: RecordedProcess[] };
/** Starts one component and records it before anything else happens; see `startWithRetry`. */
type Launch = (name: ControlPlaneBinary, args: readonly string[]) => Promise<RecordedProcess>;

async function startComponents(options: StartOptions, ports: ControlPlanePorts, layout: Layout, launch: Launch): Promise<string> {
  const log = options.log ?? (() => undefined);
  const { signal } = options;
  const input = { ports, layout, fsync: options.fsync ?? true };
  const apiServerUrl = `https://127.0.0.1:${ports.apiServer}`;

  const etcd = await launch('etcd', etcdArgs(input));
  await waitUntilReady({ what: 'etcd /health', proc: etcd, deadlineMs: readyDeadlineMs, signal,
    check: async () => (await httpGet(`http://127.0.0.1:${ports.etcdClient}/health`)).body.includes('"health":"true"') });

  const apiserver = await launch('kube-apiserver', apiServerArgs(input));
  const tls = await adminTls(layout.pkiDir);
  await waitUntilReady({ what: 'kube-apiserver /readyz', proc: apiserver, deadlineMs: readyDeadlineMs, signal,
    check: async () => (await httpGet(`${apiServerUrl}/readyz`, tls)).status === 200 });
  log(`kube-apiserver ready at ${apiServerUrl}`);

  const kcm = await launch('kube-controller-manager', controllerManagerArgs(input));
  const scheduler = await launch('kube-scheduler', schedulerArgs(input));
  await Promise.all([
    waitUntilReady({ what: 'kube-controller-manager /healthz', proc: kcm, deadlineMs: readyDeadlineMs, signal,
      check: async () => (await httpGet(`https://127.0.0.1:${ports.controllerManager}/healthz`, { insecure: true })).status === 200 }),
    waitUntilReady({ what: 'kube-scheduler /readyz', proc: scheduler, deadlineMs: readyDeadlineMs, signal,
      check: async () => (await httpGet(`https://127.0.0.1:${ports.scheduler}/readyz`, { insecure: true })).status === 200 }),
  ]);
  // Pods are refused until the namespace's default ServiceAccount exists.
  await waitUntilReady({ what: 'the default ServiceAccount and kube-root-ca.crt', proc: kcm, deadlineMs: readyDeadlineMs, signal,
    check: async () => (await httpGet(`${apiServerUrl}/api/v1/namespaces/default/serviceaccounts/default`, tls)).status === 200
      && (await httpGet(`${apiServerUrl}/api/v1/namespaces/default/configmaps/kube-root-ca.crt`, tls)).status === 200 });
  return apiServerUrl;
}

function isPortClash(error: unknown): boolean {
  return error instanceof HarnessError && /address already in use/.test(error.message);
}

async function stopAll(procs: readonly RecordedProcess[]): Promise<void> {
  // Reverse start order: scheduler and controller-manager, then apiserver, then etcd.
  for (const proc of [...procs].reverse()) await stopProcess(proc);
}

export async function startControlPlane(options: StartOptions): Promise<RunningControlPlane> {
  const { stateDir } = options;
  options.signal?.throwIfAborted();
  const pkiDir = join(stateDir, 'pki');
  await Promise.all(['logs', 'kubeconfigs', 'bin'].map((d) => mkdir(join(stateDir, d), { recursive: true })));
  await preparePki(pkiDir);
  const layout: Layout = {
    etcdDataDir: options.etcdDataDir ?? join(stateDir, 'etcd'), pkiDir,
    kcmKubeconfig: join(stateDir, 'kubeconfigs', 'kube-controller-manager.kubeconfig'),
    schedulerKubeconfig: join(stateDir, 'kubeconfigs', 'kube-scheduler.kubeconfig'),
  };
  const started: Started = { procs: [] };
  const onExit = (): void => killNow(started.procs);
  if (options.killOnExit ?? true) process.on('exit', onExit);
  try {
    const plane = await startWithRetry(options, layout, started, onExit);
    // A stop signal during the last steps: the caller must not get a plane it was told to abandon.
    options.signal?.throwIfAborted();
    return plane;
  } catch (error) {
    await stopAll(started.procs);
    await removeState(stateDir);
    process.off('exit', onExit);
    throw error;
  }
}

async function startWithRetry(options: StartOptions, layout: Layout, started: Started, onExit: () => void): Promise<RunningControlPlane> {
  const startedAt = new Date().toISOString();
  for (let attempt = 1; ; attempt++) {
    const ports = await allocatePorts(attempt === 1 ? options.preferredPorts : undefined);
    const server = `https://127.0.0.1:${ports.apiServer}`;
    const kubeconfigPath = await writeKubeconfig(options.stateDir, server, { user: 'sandbox-admin', groups: ['system:masters'], certName: 'admin' }, join(options.stateDir, 'kubeconfig'));
    await writeKubeconfig(options.stateDir, server, { user: 'system:kube-controller-manager', groups: [], certName: 'kube-controller-manager' }, layout.kcmKubeconfig);
    await writeKubeconfig(options.stateDir, server, { user: 'system:kube-scheduler', groups: [], certName: 'kube-scheduler' }, layout.schedulerKubeconfig);
    const state = (): ControlPlaneState => ({ apiServerUrl: server, ports, kubeconfigPath, processes: started.procs, startedAt });
    // Each PID goes into state.json as soon as it exists: if this process is killed before
    // start-up ends (SIGKILL, a closed terminal), `down` still finds what it started.
    const launch: Launch = async (name, args) => {
      options.signal?.throwIfAborted();
      const proc = startProcess(name, options.binaries[name], args, { logPath: join(options.stateDir, 'logs', `${name}.log`) });
      started.procs.push(proc);
      await writeState(options.stateDir, state());
      return proc;
    };
    try {
      const apiServerUrl = await startComponents(options, ports, layout, launch);
      return await finish(options, { ports, layout, apiServerUrl, kubeconfigPath, procs: started.procs, onExit });
    } catch (error) {
      // An ephemeral port can be taken between picking and binding; one fresh try.
      if (attempt >= 2 || !isPortClash(error)) throw error;
      await stopAll(started.procs.splice(0));
      await rm(layout.etcdDataDir, { recursive: true, force: true });
    }
  }
}

type Finished = { ports: ControlPlanePorts; layout: Layout; apiServerUrl: string; kubeconfigPath: string; procs: RecordedProcess[]; onExit: () => void };

async function finish(options: StartOptions, f: Finished): Promise<RunningControlPlane> {
  const kubectlPath = join(options.stateDir, 'bin', 'kubectl');
  await rm(kubectlPath, { force: true });
  await symlink(options.binaries.kubectl, kubectlPath);
  return {
    stateDir: options.stateDir, apiServerUrl: f.apiServerUrl, ports: f.ports, pkiDir: f.layout.pkiDir, kubeconfigPath: f.kubeconfigPath,
    kubectlPath, processes: f.procs,
    issueKubeconfig: (user, groups, fileStem) =>
      writeKubeconfig(options.stateDir, f.apiServerUrl, { user, groups, certName: fileStem }, join(options.stateDir, 'kubeconfigs', `${fileStem}.kubeconfig`)),
    stop: async () => {
      await stopAll(f.procs);
      process.off('exit', f.onExit);
    },
  };
}
