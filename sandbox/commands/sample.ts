// The sample cluster of `npm run sandbox`: config/samples/opengauss_v1_opengausscluster.yaml (one
// primary, two standbys on node1..3), applied once the operator runs. The wait shows progress as it
// changes and is bounded: a cluster that is not ready in time leaves the sandbox running with a
// message saying what is known, so the operator part stays usable on its own.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { repoRoot } from '../repo-root.ts';
import type { Kubectl } from './operator.ts';

export const SAMPLE_FILE = join('config', 'samples', 'opengauss_v1_opengausscluster.yaml');
export const SAMPLE = {
  namespace: 'default', name: 'sample', members: 3, writePort: 30001, readPort: 30002,
  secret: 'sample-init-sc', secretKey: 'INIT_PASSWD',
  // The initial user, whose password is INIT_PASSWD. The sandbox engine accepts its remote login;
  // real openGauss refuses remote logins of the initial user, so on a real cluster create an
  // application user (2.0's `dbpaasop` is not created by default: docs/objects.md).
  user: 'omm',
} as const;
const DEFAULT_WAIT_MS = 300_000;
/** Without any status after this long, the operator is probably running without a reconciler. */
const NO_STATUS_HINT_MS = 30_000;

export type SampleWait = 'ready' | 'timeout' | 'aborted';

export function requireSampleNodes(nodes: number): void {
  if (nodes < SAMPLE.members) {
    throw new HarnessError(HarnessErrorCodes.USAGE, `the sample cluster puts one member on each of node1..node${SAMPLE.members}: use --nodes ${SAMPLE.members} or more, or --no-sample`);
  }
}

export async function applySample(kubectl: Kubectl, out: (line: string) => void): Promise<void> {
  await kubectl('apply', '-f', join(repoRoot, SAMPLE_FILE));
  out(`sample cluster ${SAMPLE.namespace}/${SAMPLE.name} applied (${SAMPLE_FILE})`);
}

type Observed = { state: string; members: string; message: string };

async function observe(kubectl: Kubectl): Promise<Observed> {
  const cluster = JSON.parse(await kubectl('-n', SAMPLE.namespace, 'get', 'opengaussclusters', SAMPLE.name, '-o', 'json')) as {
    status?: { state?: string; message?: string; members?: { name?: string; role?: string; ready?: boolean }[] };
  };
  const pods = JSON.parse(await kubectl('-n', SAMPLE.namespace, 'get', 'pods', '-l', `opengauss.cluster=${SAMPLE.name}`, '-o', 'json')) as {
    items: { metadata: { name: string; labels?: Record<string, string> }; status: { phase?: string; conditions?: { type: string; status: string }[] } }[];
  };
  const members = pods.items.map((p) => {
    const ready = p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    return `${p.metadata.name.replace(`og-${SAMPLE.name}-pod-`, '')} ${p.metadata.labels?.['opengauss.role'] ?? p.status.phase ?? '?'}${ready ? ' ready' : ''}`;
  });
  return { state: cluster.status?.state ?? '', members: members.join(', ') || 'no Pod yet', message: cluster.status?.message ?? '' };
}

/** Polls until `status.state` is ready, the deadline passes, or `signal` aborts (Ctrl-C). */
export async function waitForSample(kubectl: Kubectl, out: (line: string) => void, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<SampleWait> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  let last = '';
  let hinted = false;
  let seen: Observed = { state: '', members: '', message: '' };
  while (options.signal?.aborted !== true) {
    seen = await observe(kubectl).catch(() => seen);
    if (seen.state === 'ready') return 'ready';
    const line = `sample: ${seen.state || 'no status yet'} [${seen.members}]${seen.message === '' ? '' : ` ${seen.message}`}`;
    if (line !== last) out(`${line} (${Math.round((Date.now() - started) / 1000)} s)`);
    last = line;
    if (!hinted && seen.state === '' && Date.now() - started > NO_STATUS_HINT_MS) {
      hinted = true;
      out('sample: no status after 30 s; if the operator logs "src/controller/setup.ts is not there yet", the reconciler has not landed');
    }
    if (Date.now() - started > timeoutMs) {
      out(`sample: not ready within ${timeoutMs / 1000} s (state ${seen.state || 'none'}); the sandbox keeps running: kubectl get ogc -w, and the operator's logs`);
      return 'timeout';
    }
    await sleep(2000, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return 'aborted';
}

export function printSampleHowTo(kubectlCmd: string, out: (line: string) => void): void {
  const secret = `${kubectlCmd} -n ${SAMPLE.namespace} get secret ${SAMPLE.secret} -o jsonpath='{.data.${SAMPLE.secretKey}}' | base64 -d`;
  out('');
  out('  # the sample cluster: password, then the write (primary) and read (standbys) NodePorts on 127.0.0.1');
  out(`  export PGPASSWORD=$(${secret})`);
  out(`  gsql -h 127.0.0.1 -p ${SAMPLE.writePort} -U ${SAMPLE.user} -d postgres -W "$PGPASSWORD"    # or sandbox/engine/bin/gsql`);
  out(`  psql -h 127.0.0.1 -p ${SAMPLE.writePort} -U ${SAMPLE.user} postgres                        # writes`);
  out(`  psql -h 127.0.0.1 -p ${SAMPLE.readPort} -U ${SAMPLE.user} postgres                        # reads (read-only)`);
  out(`  ${kubectlCmd} get ogc -A                     # 2.0's printer columns`);
  out(`  ${kubectlCmd} -n ${SAMPLE.namespace} get pods -l opengauss.cluster=${SAMPLE.name} -L opengauss.role -o wide`);
  out(`  ${kubectlCmd} -n ${SAMPLE.namespace} get svc,pvc,secret -l app.kubernetes.io/name=${SAMPLE.name}`);
  out(`  ${kubectlCmd} -n ${SAMPLE.namespace} describe ogc ${SAMPLE.name}`);
}

/** The foreground wait of `up`: ends early when `stopped` (Ctrl-C, a component died) settles first. */
export async function waitForSampleUnless(stateDir: string, kubectl: Kubectl, out: (line: string) => void, stopped: Promise<unknown> | undefined): Promise<SampleWait> {
  const abort = new AbortController();
  void stopped?.then(() => abort.abort());
  out(`waiting for the sample cluster to become ready (at most ${DEFAULT_WAIT_MS / 1000} s; Ctrl-C stops everything; logs in ${join(stateDir, 'logs')})`);
  const result = await waitForSample(kubectl, out, { signal: abort.signal });
  if (result === 'ready') out(`sample cluster ${SAMPLE.namespace}/${SAMPLE.name} is ready`);
  return result;
}
