// When a container comes back after exiting, and after how long. Kubernetes restarts per the
// Pod's restartPolicy (a sidecar, an init container with restartPolicy Always, always restarts);
// the back-off is the kubelet's shape with sandbox numbers: the first restart is immediate, then
// 1 s doubling to 30 s, reset once a container has run for a minute.

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export const backoffLimits = { initialMs: 1_000, maxMs: 30_000, stableRunMs: 60_000 } as const;

export function parseRestartPolicy(value: string | undefined): RestartPolicy {
  return value === 'OnFailure' || value === 'Never' ? value : 'Always';
}

export function shouldRestart(policy: RestartPolicy, exitCode: number): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

/** Restart delay after the n-th consecutive crash (n ≥ 1). */
export function restartDelayMs(consecutiveCrashes: number): number {
  if (consecutiveCrashes <= 1) return 0;
  return Math.min(backoffLimits.initialMs * 2 ** (consecutiveCrashes - 2), backoffLimits.maxMs);
}

/** The crash counter after an exit: a long, stable run starts counting again from one. */
export function nextCrashCount(previous: number, ranForMs: number): number {
  return ranForMs >= backoffLimits.stableRunMs ? 1 : previous + 1;
}
