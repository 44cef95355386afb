// What an e2e test prints when it fails, so a red CI run says why without a rerun: the clusters
// and pods of its namespace, the namespace's recent Events, and the last lines of the operator
// replicas' logs. Bounded, and never fails the hook itself.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SuiteContext, TestContext } from 'node:test';
import type { SandboxCli } from './sandbox-cli.ts';

const LOG_LINES = 60;
const EVENT_LINES = 40;

async function tail(path: string, lines: number): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).map((l) => l.slice(0, 400)).join('\n');
}

async function operatorLogs(cli: SandboxCli): Promise<string> {
  const dir = join(cli.stateDir, 'logs', 'pods');
  const pods = (await readdir(dir).catch(() => [])).filter((d) => d.startsWith('opengauss-operator-system_'));
  const parts = await Promise.all(pods.map(async (p) => `--- ${p}\n${await tail(join(dir, p, 'manager', '0.log'), LOG_LINES)}`));
  return parts.join('\n');
}

async function kubectlText(cli: SandboxCli, ...args: string[]): Promise<string> {
  return cli.kubectl(...args).then((o) => o.stdout.trimEnd(), (error: unknown) => `(kubectl ${args.join(' ')} failed: ${String(error).slice(0, 200)})`);
}

/** An afterEach hook: on failure, prints the state of `namespace` and the operator's log tail. */
export function reportFailure(cli: () => SandboxCli | undefined, namespace: string): (t: TestContext | SuiteContext) => Promise<void> {
  return async (t) => {
    const sandbox = cli();
    if (!('passed' in t) || t.passed || sandbox === undefined) return;
    const events = (await kubectlText(sandbox, '-n', namespace, 'get', 'events', '--sort-by=.lastTimestamp')).split('\n').slice(-EVENT_LINES).join('\n');
    t.diagnostic([
      `state after the failure of "${t.name}":`,
      await kubectlText(sandbox, '-n', namespace, 'get', 'opengaussclusters,pods', '-o', 'wide', '--show-labels'),
      `events of ${namespace}:`, events,
      'operator logs:', await operatorLogs(sandbox),
    ].join('\n'));
  };
}
