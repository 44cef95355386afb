import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { admissionCases, transitionCases, type Manifest } from './fixtures/admission-cases.ts';
import { formatIssues, validateCluster, type ValidationIssue } from './validate.ts';

const sampleText = readFileSync(new URL('./fixtures/readme-sample.yaml', import.meta.url), 'utf8');
const sample = (): Manifest => parse(sampleText) as Manifest;

function edited(edit: (m: Manifest) => void, base: Manifest = sample()): Manifest {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}

const describeIssues = (issues: readonly ValidationIssue[]) => formatIssues(issues) || '(none)';

describe('validateCluster', () => {
  it('accepts the README sample.yaml unchanged', () => {
    const result = validateCluster(sample());
    assert.ok(result.ok, result.ok ? '' : describeIssues(result.issues));
  });

  it('returns the sample spec with schema defaults filled in', () => {
    const result = validateCluster(sample());
    assert.ok(result.ok);
    assert.equal(result.spec.dbport, 26000);
    assert.equal(result.spec.sidecarcpu, '500m');
    assert.equal(result.spec.schedule.processTimeout, 300);
  });

  it('gives every admission case a valid twin that edits the sample, so the twin proves a near miss passes', () => {
    const unchanged = admissionCases.filter((c) => isDeepStrictEqual(edited(c.valid), sample())).map((c) => c.title);
    assert.deepEqual(unchanged, []);
  });

  for (const c of admissionCases) {
    it(`rejects ${c.title}, naming ${c.field}, and accepts its valid twin`, () => {
      const bad = validateCluster(edited(c.invalid));
      assert.equal(bad.ok, false, 'the invalid manifest was accepted');
      const issues = bad.ok ? [] : bad.issues;
      assert.ok(
        issues.some((i) => i.path === c.field && (c.rule === undefined || i.rule === c.rule)),
        `expected an issue at ${c.field}${c.rule === undefined ? '' : ` from ${c.rule}`}, got: ${describeIssues(issues)}`,
      );
      const good = validateCluster(edited(c.valid));
      assert.ok(good.ok, good.ok ? '' : describeIssues(good.issues));
    });
  }

  for (const c of transitionCases) {
    it(`rejects ${c.title} on update, naming ${c.field}, and accepts its valid twin`, () => {
      const before = edited(c.before ?? (() => undefined));
      assert.ok(validateCluster(before).ok, 'the stored object must be valid');
      const bad = validateCluster(edited(c.invalid, before), before);
      const issues = bad.ok ? [] : bad.issues;
      assert.ok(issues.some((i) => i.path === c.field && i.rule === c.rule), `got: ${describeIssues(issues)}`);
      const good = validateCluster(edited(c.valid, before), before);
      assert.ok(good.ok, good.ok ? '' : describeIssues(good.issues));
    });
  }

  it('applies no transition rule on create: a first storage of any size is fine', () => {
    assert.ok(validateCluster(edited((m) => { m.spec['storage'] = '1Gi'; })).ok);
  });

  it('does not require networkclass on an update of an object made before 2.0', () => {
    const old = edited((m) => { delete m.spec['networkclass']; });
    assert.ok(validateCluster(old, old).ok);
  });

  it('checks the name length on create only, so adopted objects with long names stay valid', () => {
    const long = edited((m) => { m.metadata.name = 'a'.repeat(50); });
    assert.equal(validateCluster(long).ok, false);
    assert.ok(validateCluster(long, long).ok);
  });

  it('reports a wrong JSON type once and skips the cross-field rules, as the apiserver does', () => {
    const result = validateCluster(edited((m) => { m.spec['readport'] = 'thirty-one thousand'; m.spec['writeport'] = 'x'; }));
    assert.equal(result.ok, false);
    const issues = result.ok ? [] : result.issues;
    assert.deepEqual(issues.map((i) => i.path), ['/spec/readport', '/spec/writeport']);
    assert.ok(issues.every((i) => i.rule === undefined));
  });

  it('collapses an int-or-string mismatch into one issue', () => {
    const result = validateCluster(edited((m) => { m.spec['cpu'] = true; }));
    assert.deepEqual(result.ok ? [] : result.issues, [{ path: '/spec/cpu', message: 'must be an integer or a string' }]);
  });

  it('names each missing required property by its own path', () => {
    const result = validateCluster(edited((m) => { m.spec['iplist'] = [{ nodename: 'node' }]; }));
    assert.ok(!result.ok && result.issues.some((i) => i.path === '/spec/iplist/0/ip' && i.message === 'is required'));
  });

  it('escapes map keys in JSON pointers', () => {
    const result = validateCluster(edited((m) => { m.spec['labels'] = { 'example.com/tier': 'x'.repeat(64) }; }));
    assert.ok(!result.ok && result.issues.some((i) => i.path === '/spec/labels/example.com~1tier'), result.ok ? '' : describeIssues(result.issues));
  });

  it('reports every broken rule at once, ready for status.message', () => {
    const result = validateCluster(edited((m) => { m.spec['writeport'] = 31000; m.spec['cpu'] = '1m'; }));
    assert.equal(result.ok, false);
    assert.equal(
      formatIssues(result.ok ? [] : result.issues),
      "/spec/writeport: writeport must differ from readport; /spec/cpu: cpu must be at least 500m, the container's request",
    );
  });

  it('ignores status, which the operator owns', () => {
    const withStatus = { ...sample(), status: { state: 'something-2.0-wrote', spec: { anything: 1 } } };
    assert.ok(validateCluster(withStatus).ok);
  });

  it('never changes the object it is given', () => {
    const input = sample();
    const copy = structuredClone(input);
    validateCluster(input);
    assert.deepEqual(input, copy);
  });
});
