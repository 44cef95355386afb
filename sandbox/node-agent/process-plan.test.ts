import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSpec } from './image-spec.ts';
import { renderContainerLaunch, renderContainerScript, renderExecLaunch, shellQuote } from './launch-command.ts';
import { buildProcessPlan, decideUser, selectArgv } from './process-plan.ts';

const image: ImageSpec = { imageId: 'i', entrypoint: ['/entry'], cmd: ['default'], env: { IMAGE_VAR: '1', PATH: '/img/bin:/usr/bin' }, pathPrefix: [], workingDir: '/home/app', user: '580:580' };

describe('container process plan', () => {
  it('applies Docker override rules for command and args', () => {
    assert.deepEqual(selectArgv({ name: 'c' }, image), ['/entry', 'default']);
    assert.deepEqual(selectArgv({ name: 'c', args: ['x'] }, image), ['/entry', 'x']);
    assert.deepEqual(selectArgv({ name: 'c', command: ['sh'] }, image), ['sh']);
    assert.deepEqual(selectArgv({ name: 'c', command: ['sh'], args: ['-c', 'true'] }, image), ['sh', '-c', 'true']);
  });

  it('expands $(VAR) in command and args and lets Pod env win over image env', () => {
    const result = buildProcessPlan({ container: { name: 'c', command: ['echo', '$(GREETING)'] }, image, env: new Map([['GREETING', 'hi'], ['IMAGE_VAR', '2']]), mounts: [], hostPath: '/usr/bin' });
    assert.ok(result.ok);
    assert.deepEqual(result.plan.argv, ['echo', 'hi']);
    assert.equal(result.plan.env.get('IMAGE_VAR'), '2');
    assert.equal(result.plan.workingDir, '/home/app');
  });

  it('fails with CreateContainerError when there is nothing to run', () => {
    const result = buildProcessPlan({ container: { name: 'c' }, image: { ...image, entrypoint: [], cmd: [] }, env: new Map(), mounts: [], hostPath: '' });
    assert.deepEqual(result, { ok: false, reason: 'CreateContainerError', message: 'container "c": no command specified' });
  });

  it('picks the user: runAsUser over the image user, fsGroup as a supplementary group', () => {
    assert.deepEqual(decideUser({ name: 'c', securityContext: { runAsUser: 70 } }, { fsGroup: 1000 }, '580:580'), { kind: 'ids', uid: 70, gid: 580, groups: [1000] });
    assert.deepEqual(decideUser({ name: 'c' }, undefined, '580:580'), { kind: 'ids', uid: 580, gid: 580, groups: [] });
    assert.deepEqual(decideUser({ name: 'c' }, undefined, 'omm'), { kind: 'name', name: 'omm', groups: [] });
    assert.deepEqual(decideUser({ name: 'c' }, undefined, undefined), { kind: 'inherit' });
  });
});

describe('container launch command', () => {
  const plan = {
    argv: ['sleep', '1'], env: new Map([['A', 'b']]), workingDir: "/it's", user: { kind: 'ids' as const, uid: 580, gid: 580, groups: [] },
    mounts: [{ source: '/host/data', target: '/data', readOnly: false }, { source: '/host/conf', target: '/etc/app.conf', readOnly: true }],
  };

  it('quotes shell words safely', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });

  it('binds each mount in a private mount namespace, joins the cgroup and execs as the user', () => {
    const launch = renderContainerLaunch(plan, { isolate: true, cgroupDir: '/cg/x', sourceKinds: new Map([['/host/conf', 'file']]) });
    assert.equal(launch.file, 'unshare');
    assert.deepEqual(launch.args.slice(0, 5), ['--mount', '--propagation', 'private', '--', '/bin/sh']);
    assert.deepEqual(launch.args.slice(-3), ['sandbox-container', 'sleep', '1']);
    const script = renderContainerScript(plan, { isolate: true, cgroupDir: '/cg/x', sourceKinds: new Map([['/host/conf', 'file']]) });
    assert.match(script, /echo \$\$ > '\/cg\/x\/cgroup.procs'/);
    assert.match(script, /mkdir -p '\/data'\nmount --bind '\/host\/data' '\/data'/);
    assert.match(script, /: > '\/etc\/app.conf'; }\nmount --bind '\/host\/conf' '\/etc\/app.conf'\nmount -o remount,bind,ro '\/etc\/app.conf'/);
    assert.match(script, /exec setpriv --reuid=580 --regid=580 --clear-groups -- "\$@"$/);
    assert.deepEqual(launch.env, { A: 'b' });
  });

  it('stages every source before mounting any target, so a mount cannot hide a later source', () => {
    const script = renderContainerScript(plan, { isolate: true, sourceKinds: new Map([['/host/conf', 'file']]), stageDir: '/pod/c/stage' });
    const lines = script.split('\n');
    const lastStage = lines.findLastIndex((l) => / \.\/\d+$/.test(l) && l.startsWith('mount --bind'));
    const firstTarget = lines.findIndex((l) => /^mount --bind '?\.\/\d+/.test(l));
    assert.ok(lastStage < firstTarget, script);
    assert.match(script, /cd '\/pod\/c\/stage'\nmkdir -p \.\/0\nmount --bind '\/host\/data' \.\/0/);
    assert.match(script, /mount --bind \.\/1 '\/etc\/app.conf'\nmount -o remount,bind,ro '\/etc\/app.conf'/);
  });

  it('puts an exec into its container\'s cgroup, so what it starts dies with the container', () => {
    const launch = renderExecLaunch(plan, 4242, ['gs_ctl', 'restart'], { isolate: true });
    assert.equal(launch.file, 'nsenter');
    assert.deepEqual(launch.args.slice(0, 3), ['--target=4242', '--mount', '--']);
    const script = launch.args[5] ?? '';
    assert.match(script, /^cg=\$\(sed -n 's\/\^0::\/\/p' \/proc\/4242\/cgroup/);
    assert.match(script, /for r in \/sys\/fs\/cgroup\/unified \/sys\/fs\/cgroup; do/);
    assert.match(script, /echo \$\$ > "\$r\$cg\/cgroup.procs"/);
    assert.ok(script.indexOf('cgroup.procs') < script.indexOf('setpriv'), 'joins before dropping root');
  });

  it('hands LD_PRELOAD to the container\'s program only, not to the mount setup that may hide it', () => {
    const withPreload = { ...plan, env: new Map([['A', 'b'], ['LD_PRELOAD', '/tmp/repo/libnetshim.so']]) };
    const launch = renderContainerLaunch(withPreload, { isolate: true, sourceKinds: new Map(), stageDir: '/s' });
    assert.deepEqual(launch.env, { A: 'b', OG_SANDBOX_LD_PRELOAD: '/tmp/repo/libnetshim.so' });
    const script = launch.args[6] ?? '';
    assert.match(script, /export LD_PRELOAD="\$OG_SANDBOX_LD_PRELOAD"; unset OG_SANDBOX_LD_PRELOAD; }\nexec setpriv/);
  });

  it('runs without a mount namespace when not isolated', () => {
    const launch = renderContainerLaunch(plan, { isolate: false, sourceKinds: new Map() });
    assert.equal(launch.file, '/bin/sh');
    assert.doesNotMatch(launch.args[1] ?? '', /mount/);
  });
});
