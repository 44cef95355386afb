// Infrastructure, then workloads (mariadb-operator's ordering rule): the password Secret, the
// ConfigMaps and the PVCs before the Pods that mount them. Everything here is idempotent and not
// disruptive, except deleting a pod, which ends the table.
import { compareQuantityText, EventReason, podName, type VolumeKind } from '../api/v1/index.ts';
import { buildPod } from '../specs/pod.ts';
import { buildScriptsConfigMap } from '../specs/scripts-configmap.ts';
import { buildFilebeatConfigMap, buildJobScriptConfigMap } from '../specs/shared-configmaps.ts';
import { buildHostPathPv, buildPvc, pvcSize } from '../specs/volumes.ts';
import { AFTER_ACTION_MS, CONTINUE, requeue, type Step, type StepContext } from './step.ts';
import type { Action, MemberObservation, PvcView } from './types.ts';

function sameData(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function configActions(ctx: StepContext): Action[] {
  const { obs, cluster } = ctx;
  const actions: Action[] = [];
  if (!obs.initSecretPresent) actions.push({ kind: 'createInitSecret', password: cluster.spec.password });
  const scripts = buildScriptsConfigMap(cluster);
  if (obs.scriptsConfigMapData === undefined || !sameData(obs.scriptsConfigMapData, scripts.data ?? {})) actions.push({ kind: 'apply', object: scripts });
  if (!obs.sharedConfigMaps.script) actions.push({ kind: 'create', object: buildJobScriptConfigMap(cluster.spec.scriptconfig, cluster.metadata.namespace) });
  if (!obs.sharedConfigMaps.filebeat) actions.push({ kind: 'create', object: buildFilebeatConfigMap(cluster.spec.filebeatconfig, cluster.metadata.namespace) });
  return actions;
}

function pvcActions(ctx: StepContext, m: MemberObservation): Action[] {
  const entry = ctx.cluster.spec.iplist.find((e) => e.ip === m.ip);
  if (entry === undefined) return [];
  const one = (kind: VolumeKind, pvc: PvcView | undefined): Action[] => {
    const want = pvcSize(ctx.cluster, kind);
    // PVCs are created once and then only grown (docs/objects.md §3); never re-applied. In hostPath
    // mode the static PV the claim binds to comes first (2.0 creates both; creation is idempotent).
    if (pvc === undefined) {
      const pv: Action[] = ctx.cluster.spec.hostpathroot ? [{ kind: 'create', object: buildHostPathPv(ctx.cluster, entry, kind) }] : [];
      return [...pv, { kind: 'create', object: buildPvc(ctx.cluster, entry, kind) }];
    }
    return pvc.size !== undefined && compareQuantityText(pvc.size, want) === -1 ? [{ kind: 'resizePvc', name: pvc.name, size: want }] : [];
  };
  return [...one('data', m.dataPvc), ...one('log', m.logPvc)];
}

/** NEED_INIT: the data volume may be empty. initenv never initialises over an existing database. */
function needInit(ctx: StepContext, m: MemberObservation): boolean {
  const neverHadPrimary = (ctx.status.primary ?? '') === '' && ctx.status.state !== 'ready';
  return m.dataPvc === undefined || m.dataPvc.phase !== 'Bound' || neverHadPrimary;
}

function podCreates(ctx: StepContext): Action[] {
  return ctx.obs.members.filter((m) => m.pod === undefined).flatMap((m): Action[] => {
    const entry = ctx.cluster.spec.iplist.find((e) => e.ip === m.ip);
    return entry === undefined ? [] : [{ kind: 'apply', object: buildPod(ctx.cluster, entry, { needInit: needInit(ctx, m) }) }];
  });
}

export const objectsStep: Step = {
  name: 'objects',
  run(ctx) {
    const actions = [...configActions(ctx), ...ctx.obs.members.flatMap((m) => pvcActions(ctx, m)), ...podCreates(ctx)];
    return { actions, next: CONTINUE };
  },
};

/** A pod that will never run its database: terminal phase, or stuck pulling an image no longer wanted. */
function isDeadPod(ctx: StepContext, m: MemberObservation): boolean {
  const pod = m.pod;
  if (pod === undefined || pod.deleting) return false;
  if (pod.phase === 'Failed' || pod.phase === 'Succeeded') return true;
  return pod.phase === 'Pending' && pod.waitingReason !== undefined && pod.image !== ctx.cluster.spec.image;
}

export const podCleanupStep: Step = {
  name: 'podCleanup',
  run(ctx) {
    const dead = ctx.obs.members.find((m) => isDeadPod(ctx, m));
    if (dead?.pod !== undefined) {
      return {
        actions: [{ kind: 'deletePod', pod: dead.pod.name, uid: dead.pod.uid }],
        events: [{ type: 'Normal', reason: EventReason.DeleteInstance, action: 'DeletePod', note: `pod ${dead.pod.name} (${dead.pod.phase}) is recreated` }],
        next: requeue(AFTER_ACTION_MS, 'dead pod deleted'),
      };
    }
    // Scale-in: a pod whose IP left iplist. The primary is never removed here (a switchover comes first; later issue).
    const stray = ctx.obs.strayPods.find((p) => !p.deleting && p.podIp !== ctx.status.primary && p.name !== podName(ctx.cluster.metadata.name, ctx.status.primary ?? ''));
    if (stray === undefined) return { next: CONTINUE };
    return {
      actions: [{ kind: 'deletePod', pod: stray.name, uid: stray.uid }],
      events: [{ type: 'Normal', reason: EventReason.DeleteInstance, action: 'ScaleIn', note: `pod ${stray.name} left iplist and is deleted; its PVCs are kept` }],
      next: requeue(AFTER_ACTION_MS, 'scale-in'),
    };
  },
};
