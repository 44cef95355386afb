// Kubernetes Events (events.k8s.io/v1), best effort: record() never throws and never waits;
// writes run one at a time in the background and failures are only logged, so an Event can
// never fail or slow a reconcile. A repeat of the same event within the series window updates
// the existing object's `series` (count, lastObservedTime) instead of creating a new one.
import type { EventsV1Event, KubernetesObject, V1ObjectReference } from '@kubernetes/client-node';
// The deep module: the package root loads all of client-node's generated code.
import { V1MicroTime } from '@kubernetes/client-node/dist/types.js';
import type { Logger } from 'pino';
import { Kinds } from '../kube/kinds.ts';
import { isNotFound } from '../kube/kube-api-error.ts';
import type { KubeClient } from '../kube/port.ts';

export const REPORTING_CONTROLLER = 'opengauss.sig/operator';
const noteLimitBytes = 1024;

export type EventType = 'Normal' | 'Warning';

export type EventInput = {
  readonly regarding: KubernetesObject | V1ObjectReference;
  readonly type: EventType;
  /** From the reason catalogue (src/api/v1/events.ts in the operator). */
  readonly reason: string;
  /** What was done or failed, e.g. `Promote`, `Reconcile`. */
  readonly action: string;
  readonly note: string;
};

export type EventRecorder = {
  record(input: EventInput): void;
  /** Resolves when every recorded event has been written or given up on. */
  flush(): Promise<void>;
};

export type EventRecorderOptions = {
  readonly client: Pick<KubeClient, 'create' | 'mergePatch'>;
  /** This process's identity (pod name); at most 128 characters. */
  readonly reportingInstance: string;
  readonly log: Logger;
  /** Repeats within this window become a series. Default 6 min, as client-go. */
  readonly seriesWindowMs?: number;
  /** Writes waiting beyond this are dropped (and counted in the log). Default 200. */
  readonly maxPending?: number;
  readonly now?: () => number;
};

type Series = { name: string; namespace: string; count: number; lastMs: number };

export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Cut on a character boundary and mark the cut.
  let cut = bytes.subarray(0, maxBytes - 3).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return `${cut}...`;
}

export function referenceOf(target: KubernetesObject | V1ObjectReference): V1ObjectReference {
  const meta = 'metadata' in target ? target.metadata : undefined;
  if (meta === undefined) return target;
  const ref: V1ObjectReference = { apiVersion: target.apiVersion ?? '', kind: target.kind ?? '', name: meta.name ?? '', namespace: meta.namespace ?? '' };
  if (meta.uid !== undefined) ref.uid = meta.uid;
  if (meta.resourceVersion !== undefined) ref.resourceVersion = meta.resourceVersion;
  return ref;
}

export function buildEvent(input: EventInput, reportingInstance: string, nowMs: number, seq: number): EventsV1Event {
  const regarding = referenceOf(input.regarding);
  const stem = (regarding.name ?? 'object').slice(0, 200);
  return {
    apiVersion: 'events.k8s.io/v1', kind: 'Event',
    metadata: { name: `${stem}.${nowMs.toString(16)}${seq.toString(16).padStart(4, '0')}`, namespace: regarding.namespace || 'default' },
    eventTime: new V1MicroTime(nowMs),
    reportingController: REPORTING_CONTROLLER,
    reportingInstance: reportingInstance.slice(0, 128),
    action: input.action.slice(0, 128),
    reason: input.reason.slice(0, 128),
    type: input.type,
    regarding,
    note: truncateUtf8(input.note, noteLimitBytes),
  };
}

function seriesKey(input: EventInput): string {
  const r = referenceOf(input.regarding);
  return [r.namespace, r.kind, r.name, r.uid, input.type, input.reason, input.action, input.note].join('\u0000');
}

export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const now = options.now ?? Date.now;
  const windowMs = options.seriesWindowMs ?? 6 * 60_000;
  const maxPending = options.maxPending ?? 200;
  const log = options.log.child({ component: 'event-recorder' });
  const series = new Map<string, Series>();
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let seq = 0;

  async function write(input: EventInput, atMs: number): Promise<void> {
    const key = seriesKey(input);
    const known = series.get(key);
    if (known !== undefined && atMs - known.lastMs <= windowMs) {
      try {
        const count = known.count + 1;
        await options.client.mergePatch(Kinds.Event, known, { series: { count, lastObservedTime: new V1MicroTime(atMs) } });
        series.set(key, { ...known, count, lastMs: atMs });
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // The Event expired or was deleted: start a new one below.
      }
    }
    const event = buildEvent(input, options.reportingInstance, atMs, seq++ % 0x10000);
    await options.client.create(Kinds.Event, event);
    series.set(key, { name: event.metadata?.name ?? '', namespace: event.metadata?.namespace ?? '', count: 1, lastMs: atMs });
    for (const [k, s] of series) if (atMs - s.lastMs > windowMs) series.delete(k);
  }

  return {
    record(input: EventInput): void {
      if (pending >= maxPending) {
        log.warn({ reason: input.reason }, 'event dropped: too many pending writes');
        return;
      }
      pending++;
      const atMs = now();
      chain = chain.then(() => write(input, atMs))
        .catch((err: unknown) => log.warn({ err, reason: input.reason }, 'event not recorded'))
        .finally(() => { pending--; });
    },
    flush: () => chain,
  };
}
