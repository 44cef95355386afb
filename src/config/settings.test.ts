import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBindAddress, sameListener } from './bind-address.ts';
import { parseFlags } from './flags.ts';
import { DEFAULT_LEASE_NAME, DEFAULT_OPERATOR_NAMESPACE, parseSettings, renderUsage, settingSpecs, type OperatorSettings } from './settings.ts';

const facts = { hostname: 'devbox' };

function settings(argv: readonly string[], env: Record<string, string> = {}, f: Parameters<typeof parseSettings>[2] = facts): OperatorSettings {
  const result = parseSettings(argv, env, f);
  assert.ok(result.ok && !result.help, JSON.stringify(result));
  return result.settings;
}

function failure(argv: readonly string[], env: Record<string, string> = {}): string {
  const result = parseSettings(argv, env, facts);
  assert.ok(!result.ok, `expected a failure for ${argv.join(' ')}`);
  return result.message;
}

describe('operator settings', () => {
  it('defaults to 2.0\'s values, loopback probes and the standard Lease outside a Pod', () => {
    assert.deepEqual(settings([]), {
      leaderElect: false,
      leaderElectionNamespace: DEFAULT_OPERATOR_NAMESPACE,
      leaderElectionId: DEFAULT_LEASE_NAME,
      maxConcurrentReconcile: 10,
      pollingPeriodSeconds: 60,
      metricsBindAddress: '127.0.0.1:8080',
      healthProbeBindAddress: '127.0.0.1:8081',
      logLevel: 'info',
      execTimeoutMs: 10_000,
      probePeriodMs: 10_000,
      shutdownTimeoutMs: 20_000,
      identity: 'devbox',
    });
  });

  it('accepts the flags of 2.0\'s manifests unchanged', () => {
    const s = settings(['--leader-elect', '--max-concurrent-reconcile=10', '--pollingPeriod=60']);
    assert.equal(s.leaderElect, true);
    assert.equal(s.maxConcurrentReconcile, 10);
    assert.equal(s.pollingPeriodSeconds, 60);
  });

  it('binds probes and metrics to the Pod IP in a Pod and takes the Lease namespace from the ServiceAccount', () => {
    const s = settings([], { POD_IP: '127.10.1.7', POD_NAME: 'mgr-abc' }, { hostname: 'h', serviceAccountNamespace: 'ops\n' });
    assert.equal(s.healthProbeBindAddress, '127.10.1.7:8081');
    assert.equal(s.metricsBindAddress, '127.10.1.7:8080');
    assert.equal(s.leaderElectionNamespace, 'ops');
    assert.equal(s.identity, 'mgr-abc');
  });

  it('brackets an IPv6 Pod IP in the default addresses', () => {
    assert.equal(settings([], { POD_IP: 'fd00::5' }).healthProbeBindAddress, '[fd00::5]:8081');
  });

  it('lets flags win over environment variables, which win over defaults', () => {
    const env = { OGO_POLLING_PERIOD: '30', OGO_LOG_LEVEL: 'debug', OGO_LEADER_ELECT: 'true' };
    assert.deepEqual(
      (({ pollingPeriodSeconds, logLevel, leaderElect }) => ({ pollingPeriodSeconds, logLevel, leaderElect }))(settings(['--pollingPeriod', '5'], env)),
      { pollingPeriodSeconds: 5, logLevel: 'debug', leaderElect: true },
    );
    assert.equal(settings(['--leader-elect=false'], env).leaderElect, false);
  });

  it('takes a kubeconfig from --kubeconfig or KUBECONFIG, for runs outside the cluster', () => {
    assert.equal(settings([], { KUBECONFIG: '/k/a' }).kubeconfig, '/k/a');
    assert.equal(settings(['--kubeconfig=/k/b'], { KUBECONFIG: '/k/a' }).kubeconfig, '/k/b');
    assert.equal(settings([]).kubeconfig, undefined);
  });

  it('watches one namespace from --watch-namespaces or WATCH_NAMESPACE, all when empty', () => {
    assert.equal(settings(['--watch-namespaces=db']).watchNamespace, 'db');
    assert.equal(settings([], { WATCH_NAMESPACE: 'db2' }).watchNamespace, 'db2');
    assert.equal(settings(['--watch-namespaces=']).watchNamespace, undefined);
    assert.match(failure(['--watch-namespaces=a,b']), /one namespace is supported/);
    assert.match(failure(['--watch-namespaces=Not_A_Name']), /--watch-namespaces: /);
  });

  it('converts seconds flags to milliseconds', () => {
    const s = settings(['--exec-timeout-seconds=3', '--graceful-shutdown-timeout-seconds=25']);
    assert.equal(s.execTimeoutMs, 3000);
    assert.equal(s.shutdownTimeoutMs, 25_000);
  });

  it('rejects values out of range, naming the flag', () => {
    assert.match(failure(['--max-concurrent-reconcile=0']), /^--max-concurrent-reconcile: /);
    assert.match(failure(['--pollingPeriod=ten']), /--pollingPeriod takes a whole number/);
    assert.match(failure(['--log-level=loud']), /^--log-level: /);
    assert.match(failure(['--health-probe-bind-address=8081']), /--health-probe-bind-address: not host:port/);
    assert.match(failure(['--metrics-bind-address=:70000']), /above 65535/);
  });

  it('answers --help and -h with the flag table', () => {
    assert.deepEqual(parseSettings(['-h'], {}, facts), { ok: true, help: true });
    const usage = renderUsage();
    for (const spec of settingSpecs) assert.ok(usage.includes(`--${spec.flag}`), spec.flag);
  });
});

describe('Go-style flags', () => {
  const specs = [{ name: 'leader-elect', kind: 'bool' as const }, { name: 'pollingPeriod', kind: 'value' as const, aliases: ['polling-period'] }];
  const values = (argv: readonly string[]): Record<string, string> => {
    const r = parseFlags(argv, specs);
    assert.ok(r.ok, JSON.stringify(r));
    return Object.fromEntries(r.values);
  };

  it('takes one or two dashes, = or a separate value, and aliases', () => {
    assert.deepEqual(values(['-leader-elect', '--pollingPeriod', '5']), { 'leader-elect': 'true', pollingPeriod: '5' });
    assert.deepEqual(values(['--polling-period=7']), { pollingPeriod: '7' });
  });

  it('reads booleans as Go does and never consumes the next argument for them', () => {
    assert.deepEqual(values(['--leader-elect=false']), { 'leader-elect': 'false' });
    assert.deepEqual(values(['--leader-elect=1']), { 'leader-elect': 'true' });
    const r = parseFlags(['--leader-elect', 'false'], specs);
    assert.ok(!r.ok && /unexpected argument "false"/.test(r.message));
    const bad = parseFlags(['--leader-elect=maybe'], specs);
    assert.ok(!bad.ok && /true or false/.test(bad.message));
  });

  it('stops at --, and rejects unknown flags and missing values', () => {
    assert.deepEqual(values(['--leader-elect', '--', '--whatever']), { 'leader-elect': 'true' });
    const unknown = parseFlags(['--nope'], specs);
    assert.ok(!unknown.ok && unknown.message === 'unknown flag --nope');
    const missing = parseFlags(['--pollingPeriod'], specs);
    assert.ok(!missing.ok && /needs a value/.test(missing.message));
  });
});

describe('bind addresses', () => {
  const table: readonly [string, unknown][] = [
    ['127.0.0.1:8081', { kind: 'listen', host: '127.0.0.1', port: 8081 }],
    [':8080', { kind: 'listen', host: '0.0.0.0', port: 8080 }],
    ['[::1]:9', { kind: 'listen', host: '::1', port: 9 }],
    ['localhost:0', { kind: 'listen', host: 'localhost', port: 0 }],
    ['0', { kind: 'off' }],
  ];
  for (const [text, expected] of table) {
    it(`reads ${text}`, () => {
      const r = parseBindAddress(text);
      assert.ok(r.ok);
      assert.deepEqual(r.address, expected);
    });
  }

  it('rejects what is not host:port', () => {
    for (const text of ['8080', 'a:b', '1.2.3.4:', '::1:80', '']) assert.equal(parseBindAddress(text).ok, false, text);
  });

  it('sees one listener only for equal fixed addresses', () => {
    const a = { kind: 'listen', host: 'h', port: 1 } as const;
    assert.equal(sameListener(a, { ...a }), true);
    assert.equal(sameListener({ ...a, port: 0 }, { ...a, port: 0 }), false);
    assert.equal(sameListener({ kind: 'off' }, a), false);
  });
});
