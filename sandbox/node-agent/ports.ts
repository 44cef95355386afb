// Seams for the modules other engineers build, so the agent runs with or without them:
// - network (sandbox/network/): per-Pod source-address preload, NodePorts, partitions;
// - storage (sandbox/storage/): host paths of bound PersistentVolumes (loop-mounted images).
// The agent loads `sandbox/network/node-plugin.ts` and `sandbox/storage/node-plugin.ts` when they
// exist (plugins.ts) and uses the defaults below otherwise.
import type { ApiClient } from './api-client.ts';
import type { Logger } from './log.ts';

export type PodNetworkInfo = { readonly namespace: string; readonly name: string; readonly uid: string; readonly podIp: string };

export type NetworkPort = {
  /** Extra environment for every container of the Pod (e.g. LD_PRELOAD and POD_IP for the bind/source-address shim). */
  containerEnv(pod: PodNetworkInfo): Readonly<Record<string, string>>;
  /** The Pod's address is now in use on this node (before its first container starts). */
  podStarted(pod: PodNetworkInfo): void;
  /** The Pod is gone from this node; its address is released. */
  podStopped(pod: PodNetworkInfo): void;
  /** Full cluster-wide snapshots after every change (level-triggered), for NodePorts. */
  servicesChanged(services: readonly unknown[]): void;
  podsChanged(pods: readonly unknown[]): void;
  close(): Promise<void>;
};

export type StoragePort = {
  /** Host directory of a bound PV (e.g. mounting its loop image first); undefined = not ours. */
  hostPathFor(pv: unknown): Promise<string | undefined>;
  close(): Promise<void>;
};

export type PluginContext = {
  readonly nodeName: string;
  readonly nodeIndex: number;
  readonly nodeIp: string;
  readonly stateDir: string;
  readonly api: ApiClient;
  readonly log: Logger;
};

export const noNetwork: NetworkPort = {
  containerEnv: (pod) => ({ POD_IP: pod.podIp }),
  podStarted: () => undefined,
  podStopped: () => undefined,
  servicesChanged: () => undefined,
  podsChanged: () => undefined,
  close: () => Promise.resolve(),
};

/** Without the storage module, `local.path` / `hostPath.path` of the PV is the directory. */
export const plainStorage: StoragePort = {
  hostPathFor: (pv) => {
    const spec = (pv as { spec?: { local?: { path?: string }; hostPath?: { path?: string } } }).spec;
    return Promise.resolve(spec?.local?.path ?? spec?.hostPath?.path);
  },
  close: () => Promise.resolve(),
};
