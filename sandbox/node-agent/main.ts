// Process entry of one node agent, started detached by launch.ts:
//   node sandbox/node-agent/main.ts --state-dir D --name node1 --index 1 --kubeconfig K \
//     --cert C --key K --client-ca CA [--port 10250] [--repo-root R] [--label k=v]...
// SIGTERM stops the agent and leaves its pods running (a kubelet restart); launch.ts kills pods.
import { parseArgs } from 'node:util';
import { startAgent } from './agent.ts';
import { createLogger } from './log.ts';

const { values } = parseArgs({
  options: {
    'state-dir': { type: 'string' }, name: { type: 'string' }, index: { type: 'string' }, kubeconfig: { type: 'string' },
    cert: { type: 'string' }, key: { type: 'string' }, 'client-ca': { type: 'string' }, port: { type: 'string', default: '10250' },
    'repo-root': { type: 'string', default: process.cwd() }, label: { type: 'string', multiple: true, default: [] },
  },
});

const required = ['state-dir', 'name', 'index', 'kubeconfig', 'cert', 'key', 'client-ca'] as const;
const missing = required.filter((k) => values[k] === undefined);
if (missing.length > 0) {
  process.stderr.write(`node agent: missing --${missing.join(', --')}\n`);
  process.exit(2);
}

const log = createLogger({ node: values.name });
process.on('uncaughtException', (err) => {
  // A bug in one handler must not take every pod's supervision down with it.
  log.error({ err }, 'uncaught exception');
});
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

const labels = Object.fromEntries((values.label ?? []).map((l) => [l.split('=')[0] ?? l, l.slice(l.indexOf('=') + 1)]));
const agent = await startAgent({
  stateDir: values['state-dir'] ?? '', name: values.name ?? '', index: Number(values.index), kubeconfigPath: values.kubeconfig ?? '',
  servingCertPath: values.cert ?? '', servingKeyPath: values.key ?? '', clientCaPath: values['client-ca'] ?? '', kubeletPort: Number(values.port), repoRoot: values['repo-root'] ?? process.cwd(), labels,
}, log).catch((err: unknown) => {
  log.error({ err }, 'node agent failed to start');
  process.exit(1);
});

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  log.info({}, 'node agent stopping; pods keep running');
  void agent.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
