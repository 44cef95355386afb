import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planNodePorts } from './plan-node-ports.ts';
import { aPod, aService } from './fixtures.ts';

const tcp = (nodePort: number, targetPort: number | string = 5432) => ({ port: 5432, targetPort, nodePort, name: 'pg' });
const backendsOf = (plan: ReturnType<typeof planNodePorts>, nodePort: number) => plan.routes.get(nodePort)?.backends.map((b) => `${b.pod}@${b.ip}:${b.port}`);

describe('planNodePorts', () => {
  it('forwards to ready Pods in the Service namespace whose labels match the selector, in name order', () => {
    const pods = [aPod({ name: 'b', ip: '127.10.1.3' }), aPod({ name: 'a', ip: '127.10.1.2' }), aPod({ name: 'c', ip: '127.10.1.4', labels: { app: 'other' } }),
      aPod({ name: 'd', ip: '127.10.1.5', namespace: 'elsewhere' })];
    const plan = planNodePorts([aService({ ports: [tcp(30001)] })], pods, 'node-1');
    assert.deepEqual(backendsOf(plan, 30001), ['ns/a@127.10.1.2:5432', 'ns/b@127.10.1.3:5432']);
  });

  it('leaves out unready, terminating, finished and address-less Pods', () => {
    const pods = [aPod({ name: 'unready', ip: '127.10.1.2', ready: false }), aPod({ name: 'gone', ip: '127.10.1.3', terminating: true }),
      aPod({ name: 'done', ip: '127.10.1.4', phase: 'Succeeded' }), aPod({ name: 'noip' }), aPod({ name: 'ok', ip: '127.10.1.6' })];
    assert.deepEqual(backendsOf(planNodePorts([aService({ ports: [tcp(30001)] })], pods, 'node-1'), 30001), ['ns/ok@127.10.1.6:5432']);
  });

  it('includes unready Pods when the Service publishes not-ready addresses', () => {
    const pods = [aPod({ name: 'unready', ip: '127.10.1.2', ready: false })];
    const plan = planNodePorts([aService({ ports: [tcp(30001)], publishNotReadyAddresses: true })], pods, 'node-1');
    assert.deepEqual(backendsOf(plan, 30001), ['ns/unready@127.10.1.2:5432']);
  });

  it('keeps only this node Pods for externalTrafficPolicy Local', () => {
    const pods = [aPod({ name: 'here', ip: '127.10.1.2' }), aPod({ name: 'there', ip: '127.10.2.2', node: 'node-2' })];
    const plan = planNodePorts([aService({ ports: [tcp(30001)], externalTrafficPolicy: 'Local' })], pods, 'node-1');
    assert.deepEqual(backendsOf(plan, 30001), ['ns/here@127.10.1.2:5432']);
  });

  it('resolves a named targetPort per Pod and skips Pods without that port name', () => {
    const pods = [aPod({ name: 'a', ip: '127.10.1.2', ports: [{ name: 'gauss', containerPort: 26000 }] }),
      aPod({ name: 'b', ip: '127.10.1.3', ports: [{ name: 'gauss', containerPort: 26001 }] }), aPod({ name: 'c', ip: '127.10.1.4' })];
    const plan = planNodePorts([aService({ ports: [tcp(30001, 'gauss')] })], pods, 'node-1');
    assert.deepEqual(backendsOf(plan, 30001), ['ns/a@127.10.1.2:26000', 'ns/b@127.10.1.3:26001']);
  });

  it('uses the Service port when targetPort is absent or a numeric string', () => {
    const pods = [aPod({ name: 'a', ip: '127.10.1.2' })];
    const plan = planNodePorts([aService({ ports: [{ port: 7000, nodePort: 30001 }, { port: 7001, targetPort: '8001', nodePort: 30002 }] })], pods, 'node-1');
    assert.deepEqual([backendsOf(plan, 30001), backendsOf(plan, 30002)], [['ns/a@127.10.1.2:7000'], ['ns/a@127.10.1.2:8001']]);
  });

  it('serves NodePort and LoadBalancer Services only, and says why it ignores UDP and selector-less ports', () => {
    const services = [aService({ name: 'cip', type: 'ClusterIP', ports: [tcp(30001)] }), aService({ name: 'lb', type: 'LoadBalancer', ports: [tcp(30002)] }),
      aService({ name: 'udp', ports: [{ port: 53, protocol: 'UDP', nodePort: 30003 }] }), aService({ name: 'manual', selector: {}, ports: [tcp(30004)] })];
    const plan = planNodePorts(services, [], 'node-1');
    assert.deepEqual([...plan.routes.keys()], [30002]);
    assert.deepEqual(plan.ignored, ['ns/udp:53: only TCP NodePorts are served, not UDP', 'ns/manual:pg: a Service without selector has no backends in the sandbox']);
  });

  it('keeps an empty backend list for a Service whose Pods are all gone, so connections are refused', () => {
    const plan = planNodePorts([aService({ ports: [tcp(30001)] })], [], 'node-1');
    assert.deepEqual(backendsOf(plan, 30001), []);
  });
});
