import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareGoVersions, goTooOldMessage, parseGoModDirective, parseGoVersion, parseGoVersionOutput, type GoVersion } from './go-version.ts';

const v = (text: string): GoVersion => {
  const parsed = parseGoVersion(text);
  assert.ok(parsed !== undefined, text);
  return parsed;
};
const goMod = (go: string): string => `module example.com/k8sbin\n\ngo ${go}\n\nrequire k8s.io/kubernetes v1.36.3\n`;

describe('Go version check', () => {
  it('reads the version from `go version` output, releases, prereleases and development builds', () => {
    assert.equal(parseGoVersionOutput('go version go1.26.8 linux/amd64')?.text, '1.26.8');
    assert.equal(parseGoVersionOutput('go version go1.27rc1 linux/amd64')?.text, '1.27rc1');
    assert.equal(parseGoVersionOutput('go version devel go1.27-4a5b6c7 Tue Jan 6 10:00:00 2026 +0000 linux/amd64')?.text, '1.27');
    assert.equal(parseGoVersionOutput('go version go1.9 linux/amd64')?.text, '1.9');
    assert.equal(parseGoVersionOutput('command not understood'), undefined);
  });

  it('reads the go directive of a go.mod, not the toolchain line or a comment', () => {
    assert.equal(parseGoModDirective(goMod('1.26.0'))?.text, '1.26.0');
    assert.equal(parseGoModDirective('module m\n\n// go 1.99.0 someday\ngo 1.26\ntoolchain go1.27.1\n')?.text, '1.26');
    assert.equal(parseGoModDirective('module m\n'), undefined);
  });

  it("orders versions as Go does: 1.26 < 1.26rc1 < 1.26.0 < 1.26.1 < 1.27, and numerically (1.9 < 1.26)", () => {
    const ordered = ['1.9', '1.25.9', '1.26', '1.26rc1', '1.26.0', '1.26.1', '1.26.10', '1.27', '2.0.0'].map(v);
    for (let i = 1; i < ordered.length; i++) {
      const [older, newer] = [ordered[i - 1], ordered[i]];
      assert.ok(older !== undefined && newer !== undefined);
      assert.ok(compareGoVersions(older, newer) < 0, `${older.text} < ${newer.text}`);
      assert.ok(compareGoVersions(newer, older) > 0, `${newer.text} > ${older.text}`);
    }
    assert.equal(compareGoVersions(v('1.26.0'), v('1.26.0')), 0);
  });

  it('complains in one line naming the found and the needed version and the go.mod it comes from', () => {
    const modules = [{ path: 'hack/k8sbin/go.mod', goMod: goMod('1.26.0') }];
    assert.equal(goTooOldMessage('go version go1.25.7 linux/amd64', modules),
      'Go 1.25.7 found on PATH, but building the control plane needs Go 1.26.0 or newer (the go line of hack/k8sbin/go.mod): install a newer Go first on PATH');
    assert.match(goTooOldMessage('go version go1.26rc2 linux/amd64', modules) ?? '', /^Go 1\.26rc2 found on PATH, but .* needs Go 1\.26\.0 or newer/);
  });

  it('lets a new enough Go, or output it cannot read, through to the build', () => {
    const modules = [{ path: 'hack/k8sbin/go.mod', goMod: goMod('1.26.0') }, { path: 'hack/etcdbin/go.mod', goMod: goMod('1.25') }];
    for (const output of ['go version go1.26.0 linux/amd64', 'go version go1.26.8 linux/amd64', 'go version go1.30.1 linux/arm64', 'go version devel go1.27-abc linux/amd64', 'gccgo?']) {
      assert.equal(goTooOldMessage(output, modules), undefined, output);
    }
  });
});
