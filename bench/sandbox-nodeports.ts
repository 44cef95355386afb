// NodePort update latency (issue 4: "updated within a second of a label or readiness change"):
// two ready Pods on two nodes behind a NodePort Service; one Pod's label stops matching the
// selector (then matches again), and new connections through 127.0.0.1:<nodePort>, which every
// node agent serves, are polled until they stop (then start again) reaching it.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PatchStrategy, setHeaderOptions, type CoreV1Api } from '@kubernetes/client-node';
import { summarize } from './stats.ts';
import { createAndTime, deleteAndWait, greeterPod, isReady, namespace } from './sandbox-pods.ts';

const selector = { bench: 'nodeport', serving: 'yes' };
const podPort = 8080;
const pollMs = 25;
/** Connections per poll: enough that every agent's round-robin turn passes each backend. */
const connectionsPerPoll = 6;
/** "Stopped reaching it" holds once this long passes without the Pod answering. */
const quietMs = 1_000;
/** How long one poll waits for a connection's answer. */
const connectionWaitMs = 250;
const timeoutMs = 15_000;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Which Pod answers a new connection to 127.0.0.1:<nodePort> (undefined: refused or reset). */
function greeting(nodePort: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: nodePort });
    let text = '';
    // Hundreds of short connections a second through the proxies leave TIME_WAIT entries, and a SYN
    // that meets one is retransmitted after the 1 s RTO: a poll waits for no such straggler, since
    // it measures the proxies' routes, not TCP's handshake (the next poll makes new connections).
    socket.setTimeout(connectionWaitMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text === '' ? undefined : text.trim()));
  });
}

function poll(nodePort: number): Promise<Array<string | undefined>> {
  return Promise.all(Array.from({ length: connectionsPerPoll }, () => greeting(nodePort)));
}

/** Seconds from t0 until new connections stop reaching `pod`: the start of the first poll after its last answer. */
async function untilGone(nodePort: number, pod: string, t0: number): Promise<number> {
  let clearSince: number | undefined;
  while (performance.now() - t0 < timeoutMs) {
    const started = performance.now();
    const answers = await poll(nodePort);
    if (answers.includes(pod)) clearSince = undefined;
    else clearSince ??= started;
    if (clearSince !== undefined && performance.now() - clearSince >= quietMs) return (clearSince - t0) / 1000;
    await sleep(pollMs);
  }
  throw new Error(`${pod} still answers through NodePort ${nodePort} after ${timeoutMs / 1000} s`);
}

/** Seconds from t0 until a new connection reaches `pod` (the end of the poll that saw it). */
async function untilBack(nodePort: number, pod: string, t0: number): Promise<number> {
  let answers: Array<string | undefined> = [];
  while (performance.now() - t0 < timeoutMs) {
    answers = await poll(nodePort);
    if (answers.includes(pod)) return (performance.now() - t0) / 1000;
    await sleep(pollMs);
  }
  throw new Error(`${pod} does not answer through NodePort ${nodePort} after ${timeoutMs / 1000} s (last answers: ${JSON.stringify(answers)})`);
}

/** The apiserver's answers to the label patches: part of each figure, shown apart to tell where time went. */
const patchRoundTrips: number[] = [];

/** Patches the Pod's `serving` label; returns the moment just before the request. */
async function relabel(core: CoreV1Api, name: string, serving: 'yes' | 'no'): Promise<number> {
  const t0 = performance.now();
  await core.patchNamespacedPod({ namespace, name, body: { metadata: { labels: { serving } } } }, mergePatch);
  patchRoundTrips.push((performance.now() - t0) / 1000);
  return t0;
}

export async function nodePortUpdates(core: CoreV1Api, samples: number): Promise<Record<string, unknown>> {
  const pods = [greeterPod('np-a', 'node1', selector, podPort), greeterPod('np-b', 'node2', selector, podPort)];
  await Promise.all(pods.map((pod) => createAndTime(core, pod, isReady)));
  const service = await core.createNamespacedService({ namespace, body: {
    metadata: { name: 'np-bench' }, spec: { type: 'NodePort', selector, ports: [{ port: podPort, targetPort: podPort }] },
  } });
  const nodePort = service.spec?.ports?.[0]?.nodePort ?? 0;
  const gone: number[] = [];
  const back: number[] = [];
  try {
    for (const pod of ['np-a', 'np-b']) await untilBack(nodePort, pod, performance.now());
    for (let i = 0; i < samples; i++) {
      const pod = i % 2 === 0 ? 'np-a' : 'np-b';
      gone.push(await untilGone(nodePort, pod, await relabel(core, pod, 'no')));
      back.push(await untilBack(nodePort, pod, await relabel(core, pod, 'yes')));
    }
  } finally {
    await core.deleteNamespacedService({ namespace, name: 'np-bench' });
    await deleteAndWait(core, ['np-a', 'np-b']);
  }
  return {
    how: `label change → new connections through 127.0.0.1:<nodePort> (every agent, SO_REUSEPORT), ${connectionsPerPoll} connections every ${pollMs} ms`,
    stopsReachingPodSeconds: summarize(gone), reachesPodAgainSeconds: summarize(back), targetSeconds: 1,
    labelPatchRoundTripSeconds: summarize(patchRoundTrips.splice(0)),
  };
}
