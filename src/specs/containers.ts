// The pod's containers in 2.0's layout (seed-operator.md §3.3): init container `initenv`, then `og`
// (container 0, port 0 named `og`: 2.0 and tools read the database port there) and `sidecar`.
// Differences from 2.0, each with its reason in docs/objects.md: no container is privileged and
// all drop every capability (weakness 12); a small root init container `volume-permissions` (only
// CHOWN, FOWNER, DAC_OVERRIDE) replaces 2.0's `sudo chown`; og has a process-only liveness probe
// (weakness 25); the readiness probe reports a lost member after 3 periods instead of 10.
import type { V1Container, V1EnvVar, V1Probe, V1SecurityContext } from '@kubernetes/client-node';
import { initSecretName } from '../api/v1/index.ts';
import type { SpecCluster } from './cluster.ts';
import { OgPaths, ScriptKey, scriptPath } from './paths.ts';
import { initEnvMounts, ogMounts, permissionsMounts, sidecarMounts } from './pod-volumes.ts';

/** Secret keys of <cluster>-init-sc, as 2.0 names them. */
export const SecretKey = { InitPassword: 'INIT_PASSWD', DbpaasopPassword: 'DBPAASOP_PASSWD' } as const;

/** 2.0's requests, which are also the spec minimums. */
export const Requests = { og: { cpu: '500m', memory: '2Gi' }, sidecar: { cpu: '200m', memory: '500Mi' } } as const;
const PERMISSIONS_RESOURCES = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

export type ContainerOptions = {
  readonly needInit: boolean;
  readonly createDbpaasopUser: boolean;
  readonly ommUid: number;
};

const unprivileged: V1SecurityContext = { privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

const secretEnv = (cluster: SpecCluster, name: string, key: string): V1EnvVar => ({
  name, valueFrom: { secretKeyRef: { name: initSecretName(cluster.metadata.name), key } },
});
const podIpEnv: V1EnvVar = { name: 'MY_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };

/** spec.customizedenv entries for one container: the og_ or sidecar_ prefix picks it and is stripped. */
export function customizedEnv(cluster: SpecCluster, prefix: 'og_' | 'sidecar_'): V1EnvVar[] {
  return Object.entries(cluster.spec.customizedenv)
    .filter(([key]) => key.startsWith(prefix) && key.length > prefix.length)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ name: key.slice(prefix.length), value }));
}

const bash = (key: ScriptKey): string[] => ['bash', scriptPath(key)];

export function buildVolumePermissionsContainer(cluster: SpecCluster, options: ContainerOptions): V1Container {
  return {
    name: 'volume-permissions',
    image: cluster.spec.image,
    command: bash(ScriptKey.VolumePermissions),
    env: [{ name: 'OMM_UID', value: String(options.ommUid) }, { name: 'OG_VOLUMES_ROOT', value: OgPaths.permissionsRoot }],
    resources: PERMISSIONS_RESOURCES,
    securityContext: { ...unprivileged, runAsUser: 0, runAsNonRoot: false, capabilities: { drop: ['ALL'], add: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE'] } },
    volumeMounts: permissionsMounts(),
  };
}

export function buildInitEnvContainer(cluster: SpecCluster, options: ContainerOptions): V1Container {
  return {
    name: 'initenv',
    image: cluster.spec.image,
    command: bash(ScriptKey.InitEnv),
    env: [
      secretEnv(cluster, 'OG_PASSWORD', SecretKey.InitPassword),
      secretEnv(cluster, 'DBPAASOP_PASSWD', SecretKey.DbpaasopPassword),
      { name: 'NEED_INIT', value: options.needInit ? 'true' : 'false' },
      ...(options.createDbpaasopUser ? [{ name: 'CREATE_DBPAASOP_USER', value: 'true' }] : []),
    ],
    resources: { requests: { ...Requests.og }, limits: { cpu: cluster.spec.cpu, memory: cluster.spec.memory } },
    securityContext: unprivileged,
    volumeMounts: initEnvMounts(),
  };
}

function readinessProbe(cluster: SpecCluster): V1Probe {
  return {
    tcpSocket: { port: cluster.spec.dbport },
    initialDelaySeconds: 10,
    periodSeconds: cluster.spec.schedule.readinessProbePeriod,
    timeoutSeconds: 1,
    failureThreshold: 3,
  };
}

// Only "is the database process there (or deliberately not)": never a query, so a busy or slow
// database is not restarted. og-liveness.sh passes in maintenance and while gs_ctl works.
function livenessProbe(cluster: SpecCluster): V1Probe {
  return {
    exec: { command: bash(ScriptKey.Liveness) },
    initialDelaySeconds: 60,
    periodSeconds: cluster.spec.schedule.livenessProbePeriod,
    timeoutSeconds: 10,
    failureThreshold: 3,
  };
}

export function buildOgContainer(cluster: SpecCluster): V1Container {
  return {
    name: 'og',
    image: cluster.spec.image,
    command: ['tini', '-g', '--', ...bash(ScriptKey.Entrypoint)],
    ports: [{ name: 'og', containerPort: cluster.spec.dbport, protocol: 'TCP' }],
    env: [secretEnv(cluster, 'OG_PASSWORD', SecretKey.InitPassword), podIpEnv, ...customizedEnv(cluster, 'og_')],
    resources: { requests: { ...Requests.og }, limits: { cpu: cluster.spec.cpu, memory: cluster.spec.memory } },
    readinessProbe: readinessProbe(cluster),
    livenessProbe: livenessProbe(cluster),
    lifecycle: { preStop: { exec: { command: bash(ScriptKey.PreStop) } } },
    securityContext: unprivileged,
    volumeMounts: ogMounts(),
  };
}

export function buildSidecarContainer(cluster: SpecCluster): V1Container {
  return {
    name: 'sidecar',
    image: cluster.spec.sidecarimage,
    command: ['tini', '-g', '--', ...bash(ScriptKey.Sidecar)],
    env: [{ name: 'CR_NAME', value: cluster.metadata.name }, podIpEnv, ...customizedEnv(cluster, 'sidecar_')],
    resources: { requests: { ...Requests.sidecar }, limits: { cpu: cluster.spec.sidecarcpu, memory: cluster.spec.sidecarmemory } },
    securityContext: unprivileged,
    volumeMounts: sidecarMounts(),
  };
}
