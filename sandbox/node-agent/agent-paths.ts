// Where a node agent keeps its files under the sandbox state directory. Shared by the agent and
// by launch.ts, which must find PIDs to kill after a crash without asking the agent.
import { join } from 'node:path';

export type AgentPaths = {
  readonly root: string;
  readonly agentFile: string;
  readonly podStateDir: string;
  readonly podDataDir: string;
  readonly podLogsDir: string;
  readonly logFile: string;
  readonly kubeconfig: string;
  /** Pod IP claims, one file per address, shared by every agent of the sandbox (ip-claims.ts). */
  readonly ipClaimsDir: string;
};

export function agentPaths(stateDir: string, name: string): AgentPaths {
  const root = join(stateDir, 'node-agent', name);
  return {
    root,
    agentFile: join(root, 'agent.json'),
    podStateDir: join(root, 'pod-state'),
    podDataDir: join(root, 'pods'),
    podLogsDir: join(stateDir, 'logs', 'pods'),
    logFile: join(stateDir, 'logs', `node-${name}.log`),
    kubeconfig: join(root, 'kubeconfig'),
    ipClaimsDir: join(stateDir, 'pod-ip-claims'),
  };
}

export type AgentRecord = { readonly pid: number; readonly startTicks: string; readonly name: string; readonly startedAt: string };
