// The composition root and the only reader of process.env: settings from flags and env, the
// API-server connection (in-cluster in a Pod, a kubeconfig outside), then logger, metrics, client,
// Event recorder, the reconciler's informers and controllers, and the manager with leader
// election and probes. Exits with the manager's code: 0 after SIGTERM, 1 after a lost Lease
// or a drain that passed its deadline, 2 on bad flags.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import { parseBindAddress, sameListener, type BindAddress } from './config/bind-address.ts';
import { parseSettings, renderUsage, type OperatorSettings } from './config/settings.ts';
import { createOpenGaussController, type OpenGaussControllerParts } from './controller/setup.ts';
import { ErrorCodes, OperatorError, isOperatorError } from './errors.ts';
import { createKubeClient } from './kube/client.ts';
import { createConnection, type KubeConnection } from './kube/connection.ts';
import { SERVICE_ACCOUNT_DIR, inClusterConfig } from './kube/in-cluster.ts';
import { loadKubeconfig } from './kube/kubeconfig.ts';
import { createEventRecorder, type EventRecorder } from './observability/event-recorder.ts';
import { createLogger } from './observability/logger.ts';
import { createRuntimeMetrics, type RuntimeMetrics } from './observability/metrics.ts';
import { startProbeServer, type ProbeServer } from './observability/probe-server.ts';
import { createManager, stopOnSignals, type ManagerExit } from './runtime/manager.ts';

/** After the manager exited, stray handles (sockets in keep-alive) may not hold the process longer. */
const EXIT_GRACE_MS = 5_000;

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // not in a Pod, or no token mounted: the defaults say what happens then
  }
}

async function connect(settings: OperatorSettings): Promise<KubeConnection> {
  if (settings.kubeconfig !== undefined) return createConnection(await loadKubeconfig(settings.kubeconfig));
  const host = process.env['KUBERNETES_SERVICE_HOST'];
  if (host) return createConnection(inClusterConfig({ host, port: process.env['KUBERNETES_SERVICE_PORT'] }));
  throw new OperatorError(ErrorCodes.KUBE_CONFIG, 'not in a Pod (no KUBERNETES_SERVICE_HOST) and no --kubeconfig or KUBECONFIG: nothing to connect to');
}

function bindAddress(text: string): BindAddress {
  const parsed = parseBindAddress(text);
  if (!parsed.ok) throw new Error(parsed.message); // validated by parseSettings already
  return parsed.address;
}

type Wiring = { readonly parts: OpenGaussControllerParts; readonly recorder: EventRecorder };

function wireControllers(settings: OperatorSettings, connection: KubeConnection, log: Logger, metrics: RuntimeMetrics): Wiring {
  const client = createKubeClient(connection);
  const recorder = createEventRecorder({ client, reportingInstance: settings.identity, log });
  const parts = createOpenGaussController({
    kc: connection, client, log, metrics, recorder,
    ...(settings.watchNamespace === undefined ? {} : { watchNamespace: settings.watchNamespace }),
    workers: settings.maxConcurrentReconcile,
    pollingPeriodSeconds: settings.pollingPeriodSeconds,
    execTimeoutMs: settings.execTimeoutMs,
    probePeriodMs: settings.probePeriodMs,
    randomBytes: (n) => randomBytes(n),
  });
  return { parts, recorder };
}

/** A second listener for /metrics when --metrics-bind-address names another address than the probes. */
async function startMetricsServer(settings: OperatorSettings, metrics: RuntimeMetrics, log: Logger): Promise<ProbeServer | undefined> {
  const address = bindAddress(settings.metricsBindAddress);
  if (address.kind === 'off' || sameListener(address, bindAddress(settings.healthProbeBindAddress))) return undefined;
  const server = await startProbeServer({ host: address.host, port: address.port, registry: metrics.registry, health: [], readiness: [] });
  log.info({ host: server.host, port: server.port }, 'metrics server listening');
  return server;
}

async function run(settings: OperatorSettings): Promise<ManagerExit> {
  const identity = `${settings.identity}_${randomUUID()}`;
  const log = createLogger({ level: settings.logLevel, base: { instance: settings.identity } });
  const { kubeconfig: _kubeconfig, ...shown } = settings;
  log.info({ settings: shown, kubeconfig: settings.kubeconfig !== undefined }, 'operator starting');
  const connection = await connect(settings);
  const metrics = createRuntimeMetrics();
  // process_* and nodejs_* series, the counterpart of controller-runtime's process and go collectors.
  collectDefaultMetrics({ register: metrics.registry });
  const { parts, recorder } = wireControllers(settings, connection, log, metrics);
  const probes = bindAddress(settings.healthProbeBindAddress);
  const manager = createManager({
    log, metrics, informers: parts.informers, controllers: parts.controllers,
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    ...(probes.kind === 'listen' ? { probes: { host: probes.host, port: probes.port } } : {}),
    ...(settings.leaderElect
      ? { leaderElection: { client: createKubeClient(connection), lease: { namespace: settings.leaderElectionNamespace, name: settings.leaderElectionId }, identity } }
      : {}),
  });
  stopOnSignals(manager);
  await manager.start();
  const metricsServer = await startMetricsServer(settings, metrics, log);
  const exit = await manager.exited;
  await metricsServer?.close();
  await recorder.flush();
  connection.close();
  log.info({ code: exit.code, reason: exit.reason, ...(exit.error ? { err: exit.error } : {}) }, 'operator stopped');
  return exit;
}

async function main(): Promise<number> {
  const parsed = parseSettings(process.argv.slice(2), process.env, {
    hostname: hostname(),
    ...optional('serviceAccountNamespace', readOptional(`${SERVICE_ACCOUNT_DIR}/namespace`)),
  });
  if (!parsed.ok) {
    process.stderr.write(`og-operator: ${parsed.message}\n${renderUsage()}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(renderUsage());
    return 0;
  }
  return (await run(parsed.settings)).code;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

try {
  process.exitCode = await main();
} catch (error) {
  const code = isOperatorError(error) ? `${error.code}: ` : '';
  process.stderr.write(`og-operator: ${code}${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
