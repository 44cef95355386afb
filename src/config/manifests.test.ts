// The deployment under config/: least-privilege RBAC with no wildcard, a Deployment whose flags the
// operator accepts, an image tag equal to the package version, a Dockerfile with the key lines (it
// cannot be built here: no Docker daemon), and samples the API admits.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import { validateCluster } from '../api/v1/index.ts';
import { DEFAULT_LEASE_NAME, DEFAULT_OPERATOR_NAMESPACE, parseSettings } from './settings.ts';

const root = join(import.meta.dirname, '..', '..');
const config = (...parts: string[]): string => join(root, 'config', ...parts);

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] };
type Doc = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[]; subjects?: { kind: string; name: string; namespace?: string }[]; roleRef?: { name: string } };

function docs(dir: string): Doc[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Doc));
}

const rbac = docs(config('rbac'));
const clusterRole = rbac.find((d) => d.kind === 'ClusterRole');
const leaderRole = rbac.find((d) => d.kind === 'Role');
const serviceAccount = rbac.find((d) => d.kind === 'ServiceAccount');

type Container = {
  image: string; args: string[]; env: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  livenessProbe: { httpGet: { path: string; port: string } }; readinessProbe: { httpGet: { path: string; port: string } };
  ports: { name: string; containerPort: number }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
};
type Deployment = { metadata: { name: string; namespace: string }; spec: { replicas: number; template: { spec: {
  serviceAccountName: string; securityContext: { runAsNonRoot: boolean; runAsUser: number }; containers: Container[];
} } } };
const deployment = parse(readFileSync(config('manager', 'manager.yaml'), 'utf8')) as Deployment;
const manager = deployment.spec.template.spec.containers[0] as Container;

/** resource → verbs the ClusterRole grants. */
function granted(rules: readonly Rule[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const key = group === '' ? resource : `${resource}.${group}`;
        map.set(key, new Set([...(map.get(key) ?? []), ...(rule.verbs ?? [])]));
      }
    }
  }
  return map;
}

describe('RBAC manifests', () => {
  it('use no wildcard verb, resource, group or name anywhere', () => {
    for (const doc of rbac) {
      for (const rule of doc.rules ?? []) {
        const all = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.verbs ?? []), ...(rule.resourceNames ?? [])];
        assert.ok(all.every((v) => !v.includes('*')), `${doc.metadata.name}: ${JSON.stringify(rule)}`);
        assert.ok((rule.verbs ?? []).length > 0 && (rule.resources ?? []).length > 0, `${doc.metadata.name}: empty rule`);
      }
    }
  });

  it('grant the watches and writes the controller and its runtime make, and nothing destructive on Secrets or the CR', () => {
    const g = granted(clusterRole?.rules ?? []);
    for (const kind of ['opengaussclusters.opengauss.sig', 'pods', 'services', 'persistentvolumeclaims', 'persistentvolumes', 'configmaps', 'secrets', 'nodes', 'events']) {
      for (const verb of ['get', 'list', 'watch']) assert.ok(g.get(kind)?.has(verb), `${verb} ${kind}`);
    }
    for (const kind of ['pods', 'services', 'persistentvolumeclaims', 'persistentvolumes', 'configmaps', 'secrets']) {
      for (const verb of ['create', 'patch']) assert.ok(g.get(kind)?.has(verb), `${verb} ${kind}`);
    }
    assert.deepEqual([...(g.get('pods/exec') ?? [])].sort(), ['create', 'get']);
    assert.deepEqual([...(g.get('opengaussclusters/status.opengauss.sig') ?? [])].sort(), ['get', 'patch', 'update']);
    assert.deepEqual([...(g.get('events.events.k8s.io') ?? [])].sort(), ['create', 'patch']);
    for (const never of ['delete', 'deletecollection', 'update']) assert.ok(!g.get('secrets')?.has(never), `${never} secrets`);
    for (const never of ['create', 'update', 'patch', 'delete']) assert.ok(!g.get('opengaussclusters.opengauss.sig')?.has(never), `${never} opengaussclusters`);
  });

  it('limit leader election to the lock Lease in the operator namespace', () => {
    assert.equal(leaderRole?.metadata.namespace, DEFAULT_OPERATOR_NAMESPACE);
    const named = leaderRole?.rules?.find((r) => r.resourceNames !== undefined);
    assert.deepEqual(named?.resourceNames, [DEFAULT_LEASE_NAME]);
    assert.deepEqual(named?.verbs, ['get', 'update']);
  });

  it('bind both roles to the Deployment\'s ServiceAccount', () => {
    const sa = { kind: 'ServiceAccount', name: serviceAccount?.metadata.name, namespace: DEFAULT_OPERATOR_NAMESPACE };
    const bindings = rbac.filter((d) => d.kind.endsWith('Binding'));
    assert.deepEqual(bindings.map((b) => b.roleRef?.name).sort(), [clusterRole?.metadata.name, leaderRole?.metadata.name].sort());
    for (const b of bindings) assert.deepEqual(b.subjects, [sa]);
    assert.equal(deployment.spec.template.spec.serviceAccountName, serviceAccount?.metadata.name);
  });
});

describe('manager Deployment', () => {
  it('keeps 2.0\'s name, namespace and flags, and runs two replicas behind the Lease', () => {
    assert.equal(deployment.metadata.name, 'opengauss-operator-controller-manager');
    assert.equal(deployment.metadata.namespace, DEFAULT_OPERATOR_NAMESPACE);
    assert.equal(deployment.spec.replicas, 2);
    for (const flag of ['--leader-elect', '--max-concurrent-reconcile=10', '--pollingPeriod=60']) assert.ok(manager.args.includes(flag), flag);
  });

  it('passes flags the operator accepts, binding probes and metrics to the Pod IP', () => {
    const podIp = '10.1.2.3';
    const argv = manager.args.map((a) => a.replaceAll('$(POD_IP)', podIp));
    const result = parseSettings(argv, { POD_IP: podIp }, { hostname: 'h', serviceAccountNamespace: DEFAULT_OPERATOR_NAMESPACE });
    assert.ok(result.ok && !result.help, JSON.stringify(result));
    assert.equal(result.settings.healthProbeBindAddress, `${podIp}:8081`);
    assert.equal(result.settings.metricsBindAddress, `${podIp}:8080`);
    assert.equal(result.settings.leaderElect, true);
    assert.deepEqual(manager.env.find((e) => e.name === 'POD_IP')?.valueFrom?.fieldRef?.fieldPath, 'status.podIP');
  });

  it('caps V8\'s young generation like the image does (a memory budget, docs/deploy.md)', () => {
    assert.equal(manager.env.find((e) => e.name === 'NODE_OPTIONS')?.value, '--max-semi-space-size=1 --v8-pool-size=1');
    assert.equal(manager.env.find((e) => e.name === 'MALLOC_ARENA_MAX')?.value, '2');
    assert.deepEqual(manager.ports.map((p) => [p.name, p.containerPort]), [['metrics', 8080], ['health', 8081]]);
  });

  it('probes /healthz and /readyz, limits resources and runs non-root on a read-only root', () => {
    assert.deepEqual([manager.livenessProbe.httpGet.path, manager.readinessProbe.httpGet.path], ['/healthz', '/readyz']);
    assert.equal(manager.livenessProbe.httpGet.port, 'health');
    for (const r of ['cpu', 'memory']) assert.ok(manager.resources.requests[r] !== undefined && manager.resources.limits[r] !== undefined, r);
    const pod = deployment.spec.template.spec.securityContext;
    assert.equal(pod.runAsNonRoot, true);
    assert.ok(pod.runAsUser > 0);
    assert.deepEqual(manager.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('tags the og-operator image with the package version in config/default', () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const kustomization = parse(readFileSync(config('default', 'kustomization.yaml'), 'utf8')) as { namespace: string; images: { name: string; newTag: string }[] };
    assert.equal(manager.image.split(':')[0], 'og-operator');
    assert.deepEqual(kustomization.images, [{ name: 'og-operator', newTag: version }]);
    assert.equal(kustomization.namespace, DEFAULT_OPERATOR_NAMESPACE);
  });

  it('renders with kubectl kustomize into the namespace, RBAC and Deployment, without the CRD', { skip: kubectlPath() === undefined && 'no kubectl' }, async () => {
    const { stdout } = await promisify(execFile)(kubectlPath() ?? '', ['kustomize', config('default')]);
    const objects = parseAllDocuments(stdout).map((d) => d.toJS() as Doc);
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Namespace', 'Role', 'RoleBinding', 'ServiceAccount']);
    assert.match(stdout, /image: og-operator:\d+\.\d+\.\d+/);
  });
});

function kubectlPath(): string | undefined {
  const candidates = [process.env['OGO_TEST_KUBECTL'], join(root, '.sandbox', 'bin', 'kubectl')];
  return candidates.find((p): p is string => p !== undefined && existsSync(p));
}

describe('operator Dockerfile (parsed only: no Docker daemon here to build it)', () => {
  const text = readFileSync(config('Dockerfile'), 'utf8');
  const instructions = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));

  it('builds on Node 24 and installs production dependencies only', () => {
    assert.match(text, /^ARG NODE_VERSION=24\.\d+\.\d+$/m);
    assert.ok(instructions.filter((l) => l.startsWith('FROM ')).every((l) => l.startsWith('FROM node:${NODE_VERSION}-')));
    assert.ok(instructions.some((l) => /^RUN npm ci --omit=dev\b/.test(l)));
  });

  it('compiles src/ with tsconfig.build.json and runs the JavaScript as the Deployment\'s non-root user', () => {
    const user = instructions.findLast((l) => l.startsWith('USER '));
    assert.equal(user, `USER ${deployment.spec.template.spec.securityContext.runAsUser}:${deployment.spec.template.spec.securityContext.runAsUser}`);
    assert.ok(instructions.includes('RUN node node_modules/typescript-7/bin/tsc -p tsconfig.build.json'));
    assert.ok(instructions.includes('COPY --from=build /app/dist/ ./dist/'));
    assert.equal(instructions.at(-1), 'ENTRYPOINT ["node", "dist/main.js"]');
  });

  it('caps V8\'s young generation like the Deployment does', () => {
    const env = (name: string): string => manager.env.find((e) => e.name === name)?.value ?? '';
    assert.ok(instructions.includes(`ENV NODE_OPTIONS="${env('NODE_OPTIONS')}" MALLOC_ARENA_MAX=${env('MALLOC_ARENA_MAX')}`));
  });

  it('keeps tests out of the build context and lets the compiler settings in', () => {
    const ignore = readFileSync(config('Dockerfile.dockerignore'), 'utf8');
    assert.match(ignore, /^src\/\*\*\/\*\.test\.ts$/m);
    assert.match(ignore, /^!tsconfig\.build\.json$/m);
  });
});

describe('samples', () => {
  type Sample = { metadata: { name: string }; spec: Record<string, unknown> & { iplist: { nodename: string; ip: string }[] } };
  const sample = parse(readFileSync(config('samples', 'opengauss_v1_opengausscluster.yaml'), 'utf8')) as Sample;
  const adapted = parse(readFileSync(config('samples', 'sample-2.0.yaml'), 'utf8')) as Sample;

  it('are admitted by the API', () => {
    for (const s of [sample, adapted]) {
      const result = validateCluster(s);
      assert.ok(result.ok, JSON.stringify(result));
    }
  });

  it('puts the sandbox sample\'s primary and two standbys on node1..3 in their loopback ranges', () => {
    assert.deepEqual(sample.spec.iplist.map((m) => [m.nodename, m.ip.split('.').slice(0, 3).join('.')]), [
      ['node1', '127.10.1'], ['node2', '127.10.2'], ['node3', '127.10.3'],
    ]);
    assert.equal(sample.spec['image'], 'opengauss-5.0.2:latest');
    assert.equal(sample.spec['storageclass'], 'sandbox-local');
    assert.equal(sample.spec['localrole'], 'primary');
  });

  it('adapts only the IP and node name of 2.0\'s README sample', () => {
    const readme = parse(readFileSync(join(root, 'src', 'api', 'v1', 'fixtures', 'readme-sample.yaml'), 'utf8')) as Sample;
    assert.deepEqual({ ...adapted.spec, iplist: [] }, { ...readme.spec, iplist: [] });
    assert.deepEqual(adapted.spec.iplist, [{ nodename: 'node1', ip: '127.10.1.110' }]);
    assert.equal(adapted.metadata.name, readme.metadata.name);
  });
});
