// The sandbox's local volume provisioner (reference §3.6), run in-process by whoever starts it
// (the sandbox CLI, a node agent, a test): it watches PVCs and PVs with the admin kubeconfig,
// plans with planVolumes and carries the actions out against a VolumeStore.
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, StorageV1Api, type V1PersistentVolumeClaim, type V1PersistentVolume } from '@kubernetes/client-node';
import { assertSandboxAddress } from '../address-guard.ts';
import { startListWatch, type ListWatch } from './list-watch.ts';
import { buildPersistentVolume, resolvePersistentVolumePath } from './persistent-volume.ts';
import { planVolumes, type VolumeAction } from './plan-volumes.ts';
import { parseQuantityBytes } from './quantity.ts';
import { Annotations, buildStorageClass, PROVISIONER_NAME } from './storage-class.ts';
import { openVolumeStore, type VolumeMode, type VolumeStore } from './volume-store.ts';
import { expansionDone, expansionFsPending, expansionStarted } from './expansion-status.ts';

/** pino-compatible subset. */
export type ProvisionerLogger = { info(fields: object, message: string): void; warn(fields: object, message: string): void };

export type ProvisionerOptions = {
  readonly kubeconfigPath: string;
  readonly stateDir: string;
  /** Serve only this node's claims and volumes (one provisioner per node agent); default: all nodes. */
  readonly nodeName?: string;
  readonly log?: ProvisionerLogger;
  /** Full re-plan period, which also retries failed actions. Default 10 s. */
  readonly resyncMs?: number;
  /** Plain directories even when loop devices work. */
  readonly forceDirectories?: boolean;
  /** Create StorageClass sandbox-local if missing. Default true. */
  readonly createStorageClass?: boolean;
};

export type Provisioner = {
  readonly mode: VolumeMode;
  /** Plans and acts once now (also runs on every watch event and every resync). */
  reconcileNow(): Promise<void>;
  stop(): Promise<void>;
};

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const quiet: ProvisionerLogger = { info: () => undefined, warn: () => undefined };

export async function startProvisioner(options: ProvisionerOptions): Promise<Provisioner> {
  const log = options.log ?? quiet;
  const kc = new KubeConfig();
  kc.loadFromFile(options.kubeconfigPath);
  assertSandboxAddress(new URL(kc.getCurrentCluster()?.server ?? 'https://invalid').hostname);
  const core = kc.makeApiClient(CoreV1Api);
  const store = await openVolumeStore(options.stateDir, options.forceDirectories === true ? { forceDirectories: true } : {});
  log.info({ mode: store.mode }, store.mode.kind === 'loop' ? 'volumes are loop-mounted images' : 'volumes are plain directories: no capacity limits');
  if (options.createStorageClass !== false) await ensureStorageClass(kc);

  const loop = createReconcileLoop(async () => {
    const actions = planVolumes(claims.items(), volumes.items(), options.nodeName === undefined ? {} : { nodeName: options.nodeName });
    for (const action of actions) await runAction(action);
  });
  const claims: ListWatch<V1PersistentVolumeClaim> = startListWatch({
    kc, path: '/api/v1/persistentvolumeclaims', list: () => core.listPersistentVolumeClaimForAllNamespaces(), onChange: loop.kick, log,
  });
  const volumes: ListWatch<V1PersistentVolume> = startListWatch({ kc, path: '/api/v1/persistentvolumes', list: () => core.listPersistentVolume(), onChange: loop.kick, log });
  const failures = new Map<string, string>();

  async function runAction(action: VolumeAction): Promise<void> {
    const key = action.kind === 'skip' ? action.subject : `${action.kind} ${action.volumeName}`;
    try {
      await execute(core, store, action, log);
      failures.delete(key);
    } catch (error) {
      // Logged once per distinct failure: the resync retries every few seconds.
      const message = error instanceof Error ? error.message : String(error);
      if (failures.get(key) !== message) log.warn({ err: error, action: key }, 'volume action failed; retrying on the next pass');
      failures.set(key, message);
    }
  }

  await Promise.all([claims.synced, volumes.synced]);
  await remountVolumes(store, volumes.items(), options.nodeName, log);
  const timer = setInterval(loop.kick, options.resyncMs ?? 10_000);
  loop.kick();
  return {
    mode: store.mode,
    reconcileNow: () => loop.runNow(),
    async stop() {
      clearInterval(timer);
      claims.stop();
      volumes.stop();
      await loop.idle();
    },
  };
}

async function execute(core: CoreV1Api, store: VolumeStore, action: VolumeAction, log: ProvisionerLogger): Promise<void> {
  switch (action.kind) {
    case 'skip':
      return;
    case 'provision': {
      await store.ensure(action.volumeName, action.sizeBytes);
      const body = buildPersistentVolume(action.pvc, { node: action.node, path: store.pathOf(action.volumeName), capacity: action.capacity });
      await ignoreStatus(409, core.createPersistentVolume({ body }));
      log.info({ volume: action.volumeName, claim: action.claim, node: action.node, capacity: action.capacity }, 'volume provisioned');
      return;
    }
    case 'delete':
      await store.remove(action.volumeName);
      await ignoreStatus(404, core.deletePersistentVolume({ name: action.volumeName }));
      log.info({ volume: action.volumeName }, 'released volume deleted');
      return;
    case 'expand':
      await expand(core, store, action);
      log.info({ volume: action.volumeName, claim: action.claim, capacity: action.capacity }, 'volume expanded');
      return;
  }
}

// The steps and status a claim shows during an online expansion in Kubernetes: the resizer
// marks Resizing, grows the volume and the PV, then FileSystemResizePending until the node has
// grown the filesystem, which finally sets status.capacity and clears the conditions.
async function expand(core: CoreV1Api, store: VolumeStore, action: Extract<VolumeAction, { kind: 'expand' }>): Promise<void> {
  const { name, namespace } = action.claim;
  const patchClaim = (body: object) => core.patchNamespacedPersistentVolumeClaimStatus({ name, namespace, body }, mergePatch);
  const now = new Date().toISOString();
  if (action.growVolume) {
    await patchClaim(expansionStarted(action.capacity, now));
    await store.expand(action.volumeName, action.sizeBytes);
    await core.patchPersistentVolume({ name: action.volumeName, body: { spec: { capacity: { storage: action.capacity } } } }, mergePatch);
    await patchClaim(expansionFsPending(action.capacity, now));
  }
  await patchClaim(expansionDone(action.capacity));
}

/** Re-mounts our volumes after a restart (images survive, mounts may not). */
async function remountVolumes(store: VolumeStore, pvs: readonly V1PersistentVolume[], nodeName: string | undefined, log: ProvisionerLogger): Promise<void> {
  for (const pv of pvs) {
    const name = pv.metadata?.name ?? '';
    const resolved = resolvePersistentVolumePath(pv);
    const mine = pv.metadata?.annotations?.[Annotations.provisionedBy] === PROVISIONER_NAME && resolved.ok && resolved.path === store.pathOf(name);
    if (!mine || pv.status?.phase === 'Released' || (nodeName !== undefined && resolved.ok && resolved.nodes?.includes(nodeName) !== true)) continue;
    const sizeBytes = parseQuantityBytes(pv.spec?.capacity?.['storage'] ?? '') ?? 0;
    await store.ensure(name, sizeBytes).catch((error: unknown) => log.warn({ err: error, volume: name }, 'could not re-mount volume'));
  }
}

/** Creates StorageClass sandbox-local (default class) unless it exists. */
export async function ensureStorageClass(kc: KubeConfig): Promise<void> {
  await ignoreStatus(409, kc.makeApiClient(StorageV1Api).createStorageClass({ body: buildStorageClass() }));
}

async function ignoreStatus(code: number, call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if ((error as { code?: number }).code !== code) throw error;
  }
}

/** Serialises passes: a kick during a pass runs one more pass after it. */
function createReconcileLoop(pass: () => Promise<void>): { kick: () => void; runNow: () => Promise<void>; idle: () => Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  const start = (): Promise<void> => {
    running ??= (async () => {
      do {
        again = false;
        await pass();
      } while (again);
    })().finally(() => { running = undefined; });
    return running;
  };
  return {
    kick: () => {
      if (running !== undefined) again = true;
      else void start();
    },
    runNow: async () => {
      if (running !== undefined) {
        again = true;
        await running;
      }
      await start();
    },
    idle: async () => { await running; },
  };
}
