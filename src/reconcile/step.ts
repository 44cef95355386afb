// A step of the table (house style §3): a named pure function of the pass context. The first step
// whose `next` is not `continue` ends the table; a step that emits a disruptive action must end it.
import type { ClusterStatus } from '../api/v1/index.ts';
import type { SpecCluster } from '../specs/cluster.ts';
import type { Next, Observation, StepOutput } from './types.ts';

export type StepContext = {
  readonly obs: Observation;
  /** The validated, resolved cluster as the builders take it. */
  readonly cluster: SpecCluster;
  readonly status: ClusterStatus;
};

export type Step = { readonly name: string; run(ctx: StepContext): StepOutput };

export const CONTINUE: Next = { kind: 'continue' };

/** Short requeue after an action: the next pass observes its result instead of assuming it. */
export const AFTER_ACTION_MS = 1_000;
/** While waiting on something outside the operator's hands (a pod starting, a build). */
export const WAIT_MS = 2_000;
/** A blocked cluster (bad input) is looked at again this often; watches usually come first. */
export const BLOCKED_MS = 30_000;

export function requeue(ms: number, why: string): Next {
  return { kind: 'requeueAfter', ms, why };
}

export function podLabel(ctx: StepContext): string {
  return `${ctx.cluster.metadata.namespace}/${ctx.cluster.metadata.name}`;
}
