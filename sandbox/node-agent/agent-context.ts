// Everything a Pod worker needs from its node agent, passed in one object so the worker is
// testable and the composition stays in agent.ts.
import type { ApiClient } from './api-client.ts';
import type { Cgroups } from './cgroups.ts';
import type { EventRecorder } from './events.ts';
import type { ImageLookup } from './image-spec.ts';
import type { Ipam } from './ipam.ts';
import type { Logger } from './log.ts';
import type { PodStateStore } from './pod-state-store.ts';
import type { NetworkPort, StoragePort } from './ports.ts';

export type AgentContext = {
  readonly nodeName: string;
  readonly nodeIndex: number;
  readonly hostIp: string;
  readonly api: ApiClient;
  readonly log: Logger;
  readonly events: EventRecorder;
  /** `<stateDir>/node-agent/<node>/pods`: per-Pod volumes. */
  readonly podDataDir: string;
  /** `<stateDir>/logs/pods`: container logs. */
  readonly podLogsDir: string;
  readonly images: (image: string) => ImageLookup;
  readonly ipam: Ipam;
  readonly network: NetworkPort;
  readonly storage: StoragePort;
  readonly cgroups: Cgroups;
  /** Root: per-container mount namespaces and setpriv. */
  readonly isolate: boolean;
  readonly apiServer: { readonly host: string; readonly port: string };
  readonly store: PodStateStore;
  /** PATH for containers, after the image's own prefix. */
  readonly hostPath: string;
  readonly nodeAllocatable: { readonly cpu: string; readonly memory: string; readonly 'ephemeral-storage': string };
};
