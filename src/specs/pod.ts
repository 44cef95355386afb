// One member's Pod, `og-<cluster>-pod-<ipx>`, in 2.0's layout (seed-operator.md §3): a bare Pod
// (the fixed pod IP is the member's identity), owned by the cluster, pinned and addressed as the
// network class requires. Pods are immutable apart from labels and annotations, so everything else
// here only changes by recreating the pod.
import type { V1Pod, V1PodSecurityContext } from '@kubernetes/client-node';
import { APP_LABEL_VALUE, KERNEL_SEM_SYSCTL, Label, podName, type IpNodeEntry, type RoleLabelValue } from '../api/v1/index.ts';
import { objectMeta, type SpecCluster } from './cluster.ts';
import { buildInitEnvContainer, buildOgContainer, buildSidecarContainer, buildVolumePermissionsContainer } from './containers.ts';
import { buildPodAnnotations } from './pod-annotations.ts';
import { buildPodVolumes } from './pod-volumes.ts';
import { buildAffinity, buildNodeSelector, buildTolerations } from './placement.ts';

/** uid of omm in 2.0's x86 image; its arm64 image uses 1580 (an operator setting). */
export const DEFAULT_OMM_UID = 580;

export type PodOptions = {
  /** NEED_INIT for initenv: the data PVC is new, so an empty data directory may be initialised. */
  readonly needInit: boolean;
  /** The role label; absent while the member is unhealthy, changing role or unknown. */
  readonly role?: RoleLabelValue;
  /** uid the containers run as (omm of the image). Default 580. */
  readonly ommUid?: number;
  /** 2.0's unsafe sysctl kernel.sem (needs the kubelet's allowlist). Default off. */
  readonly kernelSemSysctl?: boolean;
  /** Prepare volume ownership with a root init container (CHOWN/FOWNER/DAC_OVERRIDE only). Default on. */
  readonly volumePermissionsInit?: boolean;
  /** Create 2.0's second sysadmin `dbpaasop` on a freshly initialised member. Default off. */
  readonly createDbpaasopUser?: boolean;
};

/** 2.0's pod labels: the user's spec.labels, then the selector labels and the role label. */
export function buildPodLabels(cluster: SpecCluster, role: RoleLabelValue | undefined): Record<string, string> {
  return {
    ...cluster.spec.labels,
    [Label.App]: APP_LABEL_VALUE,
    [Label.Cluster]: cluster.metadata.name,
    ...(role === undefined ? {} : { [Label.Role]: role }),
  };
}

// No fsGroup on purpose: kubelet would chgrp/chmod the PVCs recursively on a root mismatch, and an
// adopted 2.0 volume (PVC root owned by root) would get a group-accessible PGDATA, which openGauss
// refuses to start on. Ownership is prepared by the volume-permissions init container instead.
function podSecurityContext(ommUid: number, kernelSem: boolean): V1PodSecurityContext {
  const [name, ...value] = KERNEL_SEM_SYSCTL.split(' = ');
  return {
    runAsUser: ommUid,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    ...(kernelSem ? { sysctls: [{ name: name ?? 'kernel.sem', value: value.join(' = ') }] } : {}),
  };
}

export function buildPod(cluster: SpecCluster, member: IpNodeEntry, options: PodOptions): V1Pod {
  const ommUid = options.ommUid ?? DEFAULT_OMM_UID;
  const kernelSem = options.kernelSemSysctl ?? false;
  const containerOptions = { needInit: options.needInit, createDbpaasopUser: options.createDbpaasopUser ?? false, ommUid };
  const affinity = buildAffinity(cluster, member);
  const nodeSelector = buildNodeSelector(cluster);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: objectMeta(cluster, podName(cluster.metadata.name, member.ip), {
      owned: true,
      labels: buildPodLabels(cluster, options.role),
      annotations: buildPodAnnotations(cluster, member, kernelSem),
    }),
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: cluster.spec.schedule.gracePeriod,
      securityContext: podSecurityContext(ommUid, kernelSem),
      ...(affinity ? { affinity } : {}),
      ...(nodeSelector ? { nodeSelector } : {}),
      tolerations: buildTolerations(cluster),
      initContainers: [
        ...((options.volumePermissionsInit ?? true) ? [buildVolumePermissionsContainer(cluster, containerOptions)] : []),
        buildInitEnvContainer(cluster, containerOptions),
      ],
      containers: [buildOgContainer(cluster), buildSidecarContainer(cluster)],
      volumes: buildPodVolumes(cluster, member),
    },
  };
}

/**
 * A JSON merge patch that sets or removes a pod's role label (null deletes it): the reconciler
 * keeps `opengauss.role` true on every pod without re-applying the whole pod.
 */
export function buildRoleLabelPatch(role: RoleLabelValue | undefined): { metadata: { labels: Record<string, string | null> } } {
  return { metadata: { labels: { [Label.Role]: role ?? null } } };
}
