// Sends a Pod's derived status as a strategic-merge patch on pods/<name>/status (conditions merge
// by type, so the scheduler's PodScheduled survives). Coalesces bursts, skips unchanged bodies,
// and retries a failed write.
import type { V1Pod } from '@kubernetes/client-node';
import type { AgentContext } from './agent-context.ts';
import { carryTransitionTimes, derivePodStatus, type PodView, type TimedCondition } from './pod-status.ts';

export type StatusPublisher = { publish(): void };

export function createStatusPublisher(ctx: AgentContext, pod: () => V1Pod, view: () => PodView): StatusPublisher {
  let scheduled = false;
  let inFlight = false;
  let again = false;
  let lastSent = '';
  let conditions = new Map<string, TimedCondition>();

  const send = async (): Promise<void> => {
    const p = pod();
    const derived = derivePodStatus(view());
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const timed = carryTransitionTimes(conditions, derived.conditions, now);
    const body = { status: { ...derived.body, conditions: timed } };
    const text = JSON.stringify(body);
    if (text === lastSent) return;
    const { namespace, name } = p.metadata ?? {};
    const res = await ctx.api.request('PATCH', `/api/v1/namespaces/${namespace ?? ''}/pods/${name ?? ''}/status`, {
      body, contentType: 'application/strategic-merge-patch+json', allow404: true,
    });
    if (res.status === 404) return;
    conditions = new Map(timed.map((c) => [c.type, c]));
    lastSent = text;
  };

  const run = (): void => {
    scheduled = false;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    send().catch((err: unknown) => {
      ctx.log.warn({ err, pod: `${pod().metadata?.namespace ?? ''}/${pod().metadata?.name ?? ''}` }, 'pod status update failed');
      setTimeout(publish, 1_000);
    }).finally(() => {
      inFlight = false;
      if (again) {
        again = false;
        publish();
      }
    });
  };

  function publish(): void {
    if (scheduled) return;
    scheduled = true;
    setTimeout(run, 20);
  }

  return { publish };
}
