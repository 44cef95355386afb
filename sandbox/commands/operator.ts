// The operator in the sandbox, deployed the way a user deploys it: the CRD from config/crd/, then
// `kubectl apply -k config/default` (namespace, ServiceAccount, RBAC, the Deployment). The node
// agents run its Pods (image og-operator → the JavaScript build of this repository's src/, as the
// image runs it: sandbox/operator-build.ts) with their ServiceAccount token, so the operator
// reaches the apiserver with exactly the committed RBAC.
import { execFile } from 'node:child_process';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { ensureOperatorBuild } from '../operator-build.ts';
import { repoRoot } from '../repo-root.ts';

const run = promisify(execFile);

export const OPERATOR_NAMESPACE = 'opengauss-operator-system';
export const OPERATOR_DEPLOYMENT = 'opengauss-operator-controller-manager';
export const OPERATOR_SERVICE_ACCOUNT = 'opengauss-operator-controller-manager';
export const OPERATOR_LEASE = 'opengauss-operator-lock';
const CRD_NAME = 'opengaussclusters.opengauss.sig';
/** Two Node processes starting on a shared 2-core machine, then a 5 s readiness period. */
const OPERATOR_READY_TIMEOUT_MS = 120_000;

export type Kubectl = (...args: string[]) => Promise<string>;

/** kubectl of the sandbox with its admin kubeconfig; failures carry kubectl's own message. */
export function sandboxKubectl(stateDir: string): Kubectl {
  const binary = join(stateDir, 'bin', 'kubectl');
  const kubeconfig = join(stateDir, 'kubeconfig');
  return async (...args) => {
    try {
      return (await run(binary, ['--kubeconfig', kubeconfig, ...args], { cwd: repoRoot, maxBuffer: 16 << 20 })).stdout;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(`kubectl ${args.join(' ')}: ${stderr || (error as Error).message}`, { cause: error });
    }
  };
}

export async function installCrd(kubectl: Kubectl, out: (line: string) => void): Promise<void> {
  await kubectl('apply', '-f', join(repoRoot, 'config', 'crd'));
  await kubectl('wait', '--for=condition=Established', `crd/${CRD_NAME}`, '--timeout=30s');
  out(`CRD ${CRD_NAME} established`);
}

type PodSummary = { name: string; node: string; phase: string; ready: boolean; waiting?: string };

async function operatorPods(kubectl: Kubectl): Promise<PodSummary[]> {
  const list = JSON.parse(await kubectl('-n', OPERATOR_NAMESPACE, 'get', 'pods', '-l', 'control-plane=controller-manager', '-o', 'json')) as {
    items: { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } }[];
  };
  return list.items.filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => ({
    name: p.metadata.name,
    node: p.spec.nodeName ?? '-',
    phase: p.status.phase ?? 'Pending',
    ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    ...optionalWaiting(p.status.containerStatuses?.[0]?.state?.waiting?.reason),
  }));
}

function optionalWaiting(reason: string | undefined): { waiting?: string } {
  return reason === undefined ? {} : { waiting: reason };
}

export async function leaseHolder(kubectl: Kubectl): Promise<string | undefined> {
  try {
    const lease = JSON.parse(await kubectl('-n', OPERATOR_NAMESPACE, 'get', 'lease', OPERATOR_LEASE, '-o', 'json')) as { spec?: { holderIdentity?: string } };
    return lease.spec?.holderIdentity || undefined;
  } catch {
    return undefined; // no Lease yet: nobody campaigned so far
  }
}

function describePods(pods: readonly PodSummary[]): string {
  return pods.map((p) => `${p.name} on ${p.node}: ${p.waiting ?? p.phase}${p.ready ? ', ready' : ''}`).join('; ') || 'no Pod yet';
}

/** Applies config/default and waits until every replica is Ready and one holds the Lease. */
export async function deployOperator(stateDir: string, out: (line: string) => void): Promise<void> {
  const kubectl = sandboxKubectl(stateDir);
  out(`operator image: ${relative(repoRoot, await ensureOperatorBuild(repoRoot))}/main.js`);
  await kubectl('apply', '-k', join(repoRoot, 'config', 'default'));
  const replicas = Number(await kubectl('-n', OPERATOR_NAMESPACE, 'get', 'deployment', OPERATOR_DEPLOYMENT, '-o', 'jsonpath={.spec.replicas}'));
  const deadline = Date.now() + OPERATOR_READY_TIMEOUT_MS;
  let last = '';
  for (;;) {
    const pods = await operatorPods(kubectl).catch(() => []);
    const holder = await leaseHolder(kubectl);
    const line = `operator: ${pods.filter((p) => p.ready).length}/${replicas} ready (${describePods(pods)})${holder === undefined ? '' : `, leader ${holder.split('_')[0] ?? holder}`}`;
    if (line !== last) out(line);
    last = line;
    if (holder !== undefined && pods.length === replicas && pods.every((p) => p.ready)) return;
    if (Date.now() > deadline) {
      throw new HarnessError(HarnessErrorCodes.NOT_READY, `the operator was not ready within ${OPERATOR_READY_TIMEOUT_MS / 1000} s (${describePods(pods)}); its output: ${join(stateDir, 'logs', 'pods')}/${OPERATOR_NAMESPACE}_*/manager/`);
    }
    await sleep(1000);
  }
}

export function printOperatorHowTo(kubectlCmd: string, out: (line: string) => void): void {
  out(`  ${kubectlCmd} -n ${OPERATOR_NAMESPACE} get pods,lease -o wide`);
  out(`  ${kubectlCmd} -n ${OPERATOR_NAMESPACE} logs deploy/${OPERATOR_DEPLOYMENT} -f`);
}
