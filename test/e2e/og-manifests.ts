// Manifests of the issue-4 end-to-end test: the official openGauss image's master/standby example
// as Pods (fixed calico IPs, one per node, GS_PASSWORD / NODE_NAME / REPL_CONN_INFO, -M primary|
// standby), NodePort Services for clients, a PVC-backed Pod and a 2.0-operator-style Pod. Like the
// example, the Pods set no user: the image runs as root and its entrypoint drops to omm.
export const password = 'Enmo@1234';
export const dataDir = '/var/lib/opengauss/data';

export type OgPod = { readonly name: string; readonly role: 'primary' | 'standby'; readonly node: string; readonly ip: string; readonly peerIp: string; readonly nodeName: string };

function ogPod(p: OgPod): object {
  const repl = `replconninfo1 = 'localhost=${p.ip} localport=5433 localservice=5436 remotehost=${p.peerIp} remoteport=5433 remoteservice=5436'\n`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: p.name, labels: { app: 'og', role: p.role }, annotations: { 'cni.projectcalico.org/ipAddrs': JSON.stringify([p.ip]) } },
    spec: {
      nodeName: p.node,
      containers: [{
        name: 'opengauss', image: 'opengauss/opengauss:5.0.2', args: ['-M', p.role],
        env: [
          { name: 'GS_PASSWORD', value: password }, { name: 'NODE_NAME', value: p.nodeName },
          { name: 'GS_PORT', value: '5432' }, { name: 'REPL_CONN_INFO', value: repl },
        ],
        readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 1 },
      }],
    },
  };
}

function nodePortService(name: string, role: string): object {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name },
    spec: { type: 'NodePort', selector: { app: 'og', role }, ports: [{ port: 5432, targetPort: 5432 }] },
  };
}

export function pairManifest(primary: OgPod, standby: OgPod): string {
  const items = [ogPod(primary), ogPod(standby), nodePortService('og-write', 'primary'), nodePortService('og-read', 'standby')];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

export function volumeManifest(size: string): string {
  const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } };
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'with-volume' },
    spec: {
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'while true; do sleep 1; done'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    },
  };
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [claim, pod] });
}

/** The commands og.entrypoint.sh of openGauss-operator 2.0 runs, in the image its README deploys. */
export function operator20Manifest(node: string): string {
  const script = [
    'gs_initdb -D $PGDATA --nodename=gaussdb -w Enmo@1234 --locale=C -E=UTF-8',
    `gs_guc set -D $PGDATA -c "listen_addresses='*'" -c port=26000 -c password_encryption_type=0`,
    'gs_ctl start -D $PGDATA -M pending',
    'tail -f /dev/null',
  ].join(' && ');
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'og20' },
    spec: {
      nodeName: node,
      containers: [{ name: 'og', image: 'opengauss-5.0.2:latest', command: ['tini', '-g', '--', 'bash', '-c', script], readinessProbe: { tcpSocket: { port: 26000 }, periodSeconds: 1 } }],
    },
  });
}
