// Node agents of the sandbox: started after the control plane by `up --nodes N`, recorded in
// nodes.json so `down`, `status` and the fault commands find them from another process.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import { removeSandboxCgroups } from '../node-agent/cgroups.ts';
import { crashNode, findPodNode, killContainer, nodeAgentPid, startNodeAgent, stopNodeAgent } from '../node-agent/launch.ts';

export type SandboxNode = { readonly name: string; readonly index: number };

const nodesFile = (stateDir: string): string => join(stateDir, 'nodes.json');

export async function readNodes(stateDir: string): Promise<SandboxNode[]> {
  try {
    return JSON.parse(await readFile(nodesFile(stateDir), 'utf8')) as SandboxNode[];
  } catch {
    return [];
  }
}

export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new HarnessError(HarnessErrorCodes.NOT_ROOT, `${what} needs root (mount namespaces, loop-mounted volumes, packet filters): run as root, or use --nodes 0`);
  }
}

export async function startNodes(stateDir: string, apiServerUrl: string, count: number, out: (line: string) => void): Promise<void> {
  if (count === 0) return;
  requireRoot('running node agents');
  // Node n gets 127.10.n.1; tests shift n (SANDBOX_NODE_INDEX_OFFSET) so they never collide with a running sandbox.
  const offset = Number(process.env['SANDBOX_NODE_INDEX_OFFSET'] ?? 0);
  const nodes = Array.from({ length: count }, (_, i) => ({ name: `node${i + 1}`, index: offset + i + 1 }));
  // Record first: a failure half-way must still let `down` find the agents that did start.
  await writeFile(nodesFile(stateDir), `${JSON.stringify(nodes)}\n`);
  await Promise.all(nodes.map((n) => startNodeAgent({ stateDir, name: n.name, index: n.index, apiServerUrl, log: out })));
}

export async function stopNodes(stateDir: string): Promise<number> {
  const nodes = await readNodes(stateDir);
  const running = nodes.filter((n) => nodeAgentPid({ stateDir, name: n.name }) !== undefined).length;
  await Promise.all(nodes.map((n) => stopNodeAgent({ stateDir, name: n.name })));
  removeSandboxCgroups(stateDir);
  return running;
}

async function knownNode(stateDir: string, name: string): Promise<SandboxNode> {
  const node = (await readNodes(stateDir)).find((n) => n.name === name);
  if (node === undefined) throw new HarnessError(HarnessErrorCodes.STATE, `no node ${name} in this sandbox (nodes.json lists ${(await readNodes(stateDir)).map((n) => n.name).join(', ') || 'none'})`);
  return node;
}

/** `node stop` crashes a node (processes killed at once, heartbeats stop); `node start` brings it back. */
export async function nodeCommand(stateDir: string, apiServerUrl: string, action: 'stop' | 'start', name: string, out: (line: string) => void): Promise<void> {
  const node = await knownNode(stateDir, name);
  if (action === 'stop') {
    await crashNode({ stateDir, name });
    out(`node ${name} stopped: its agent and pod processes were killed; the Node turns NotReady after the grace period`);
    return;
  }
  requireRoot('running node agents');
  await startNodeAgent({ stateDir, name, index: node.index, apiServerUrl, log: out });
}

export async function killCommand(stateDir: string, target: { namespace: string; pod: string; container?: string }, out: (line: string) => void): Promise<void> {
  const nodes = (await readNodes(stateDir)).map((n) => n.name);
  const node = findPodNode(stateDir, target.namespace, target.pod, nodes);
  if (node === undefined) throw new HarnessError(HarnessErrorCodes.STATE, `pod ${target.namespace}/${target.pod} runs on no node of this sandbox`);
  const killed = killContainer({ stateDir, name: node, ...target });
  out(`killed ${killed.length > 0 ? killed.join(', ') : 'nothing (no running container)'} of ${target.namespace}/${target.pod} on ${node}`);
}

export async function nodeStatusLines(stateDir: string): Promise<string[]> {
  return (await readNodes(stateDir)).map((n) => {
    const pid = nodeAgentPid({ stateDir, name: n.name });
    return `${`node-agent ${n.name}`.padEnd(26)} pid ${String(pid ?? '-').padEnd(8)} ${pid === undefined ? 'stopped' : 'running'}`;
  });
}
