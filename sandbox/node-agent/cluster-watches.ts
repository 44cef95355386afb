// Cluster-wide Pods and Services, for the network module's NodePorts and for refusing a
// requested Pod IP that a Pod on another node already holds. Needs the ClusterRole launch.ts
// binds to system:nodes (KEP-4601); without it the agent logs once and runs without.
import type { V1Pod } from '@kubernetes/client-node';
import type { AgentContext } from './agent-context.ts';
import { ApiError, type ApiClient } from './api-client.ts';
import type { Logger } from './log.ts';
import { startWatchLoop, type WatchedObject } from './watch-loop.ts';

function cache<T extends WatchedObject>(api: ApiClient, path: string, onChange: (items: T[]) => void, log: Logger, what: string): { stop(): void } {
  const items = new Map<string, T>();
  let warned = false;
  const key = (o: T): string => o.metadata?.uid ?? `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  const emit = (): void => onChange([...items.values()]);
  const loop = startWatchLoop<T>(api, path, '', {
    onList: (list) => {
      items.clear();
      for (const o of list) items.set(key(o), o);
      emit();
    },
    onEvent: (type, o) => {
      if (type === 'DELETED') items.delete(key(o));
      else items.set(key(o), o);
      emit();
    },
    onError: (err) => {
      if (warned) return;
      warned = true;
      const forbidden = err instanceof ApiError && err.status === 403;
      log.warn({ err, what }, forbidden ? 'cluster-wide watch forbidden: bind the sandbox node ClusterRole (launch.ts ensureNodeRbac)' : 'cluster-wide watch failed; retrying');
    },
  });
  return { stop: () => loop.stop() };
}

export function startClusterWatches(api: ApiClient, ctx: AgentContext, log: Logger): { stop(): void } {
  const pods = cache<V1Pod>(api, '/api/v1/pods', (items) => {
    ctx.ipam.setClusterPods(items);
    ctx.network.podsChanged(items);
  }, log, 'pods');
  const services = cache<WatchedObject>(api, '/api/v1/services', (items) => ctx.network.servicesChanged(items), log, 'services');
  return { stop: () => { pods.stop(); services.stop(); } };
}
