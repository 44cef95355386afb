// Registers the Node and keeps it alive (reference 3.1, 3.2): create the Node (or adopt the
// existing one), patch its status, then renew the Lease every 2 s and re-post the status every
// 10 s. When the agent stops, both stop, and node-lifecycle-controller marks the Node NotReady.
import type { ApiClient } from './api-client.ts';
import { ApiError } from './api-client.ts';
import type { Logger } from './log.ts';
import { buildLease, buildNode, buildNodeStatus, type NodeIdentity } from './node-object.ts';

export const heartbeatIntervals = { leaseRenewMs: 2_000, statusMs: 10_000, leaseDurationSeconds: 40 } as const;

const strategicMerge = 'application/strategic-merge-patch+json';

export type Heartbeat = { stop(): void; readonly nodeUid: string };

async function ensureNode(client: ApiClient, node: NodeIdentity): Promise<string> {
  try {
    const res = await client.request('POST', '/api/v1/nodes', { body: buildNode(node) });
    return (res.body as { metadata: { uid: string } }).metadata.uid;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
  }
  // An existing Node (agent restart): keep it, refresh our labels.
  const res = await client.request('PATCH', `/api/v1/nodes/${node.name}`, { body: { metadata: { labels: node.labels } }, contentType: strategicMerge });
  return (res.body as { metadata: { uid: string } }).metadata.uid;
}

const leasesPath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';

/** Lease updates need the current resourceVersion; a conflict makes the next renewal re-read it. */
function createLeaseRenewer(client: ApiClient, node: NodeIdentity, nodeUid: string): () => Promise<void> {
  let resourceVersion: string | undefined;
  const rvOf = (body: unknown): string | undefined => (body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
  return async () => {
    const lease = buildLease(node.name, nodeUid, Date.now(), heartbeatIntervals.leaseDurationSeconds);
    if (resourceVersion === undefined) {
      const current = await client.request('GET', `${leasesPath}/${node.name}`, { allow404: true, timeoutMs: 5_000 });
      if (current.status === 404) {
        resourceVersion = rvOf((await client.request('POST', leasesPath, { body: lease, timeoutMs: 5_000 })).body);
        return;
      }
      resourceVersion = rvOf(current.body);
    }
    const metadata = { ...(lease['metadata'] as Record<string, unknown>), resourceVersion };
    try {
      resourceVersion = rvOf((await client.request('PUT', `${leasesPath}/${node.name}`, { body: { ...lease, metadata }, timeoutMs: 5_000 })).body);
    } catch (err) {
      resourceVersion = undefined;
      throw err;
    }
  };
}

export async function postNodeStatus(client: ApiClient, node: NodeIdentity, readySinceMs: number): Promise<Record<string, unknown>> {
  const body = buildNodeStatus(node, Date.now(), { readySinceMs, pressureSinceMs: readySinceMs });
  const res = await client.request('PATCH', `/api/v1/nodes/${node.name}/status`, { body, contentType: strategicMerge, timeoutMs: 5_000 });
  return res.body as Record<string, unknown>;
}

/** Registers the Node, posts Ready and starts the Lease and status loops. */
export async function startHeartbeat(client: ApiClient, node: NodeIdentity, log: Logger): Promise<Heartbeat> {
  const nodeUid = await ensureNode(client, node);
  const readySinceMs = Date.now();
  const posted = await postNodeStatus(client, node, readySinceMs);
  const declared = (posted['status'] as { declaredFeatures?: string[] } | undefined)?.declaredFeatures ?? [];
  if (!declared.includes('ExtendWebSocketsToKubelet')) {
    log.warn({ declared }, 'apiserver dropped status.declaredFeatures; exec WebSockets will be translated to SPDY (route A of reference 2.5 unavailable)');
  }
  const renewLease = createLeaseRenewer(client, node, nodeUid);
  await renewLease();
  log.info({ node: node.name, nodeUid }, 'node registered');
  let leaseBusy = false;
  let statusBusy = false;
  const leaseTimer = setInterval(() => {
    if (leaseBusy) return;
    leaseBusy = true;
    renewLease().catch((err: unknown) => log.warn({ err }, 'lease renewal failed')).finally(() => (leaseBusy = false));
  }, heartbeatIntervals.leaseRenewMs);
  const statusTimer = setInterval(() => {
    if (statusBusy) return;
    statusBusy = true;
    postNodeStatus(client, node, readySinceMs).catch((err: unknown) => log.warn({ err }, 'node status update failed')).finally(() => (statusBusy = false));
  }, heartbeatIntervals.statusMs);
  return { nodeUid, stop: () => { clearInterval(leaseTimer); clearInterval(statusTimer); } };
}
