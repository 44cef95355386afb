// Transition rules in the real apiserver: immutable fields and grow-only sizes. Each case stores an
// object for real, then replaces it (dry run) with an invalid change, rejected with a message naming
// the field, and with a valid one, accepted. validate.test.ts runs the same cases in process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transitionCases } from '../../src/api/v1/fixtures/admission-cases.ts';
import { admissionRules } from '../../src/api/v1/index.ts';
import {
  createCluster, createHarness, createNamespace, deleteNamespace, edited, getCluster, installCrd, loadSample, rejection,
  replaceCluster, serverFieldPath, type CrdHarness,
} from './crd-support.ts';

describe('OpenGaussCluster updates', () => {
  let h: CrdHarness;
  let namespace: string;

  before(async () => {
    h = createHarness();
    await installCrd(h);
    namespace = await createNamespace(h, 'crd-transitions');
  });

  after(async () => {
    await deleteNamespace(h, namespace);
  });

  for (const [index, c] of transitionCases.entries()) {
    it(`rejects ${c.title} with a message naming ${serverFieldPath(c.field)}, and accepts the valid change`, async () => {
      const name = `update-${index}`;
      await createCluster(h, namespace, edited(loadSample(), (m) => { m.metadata.name = name; c.before?.(m); }), true);
      const stored = await getCluster(h, namespace, name);
      const message = await rejection(replaceCluster(h, namespace, edited(stored, c.invalid)));
      assert.ok(message.includes(`${serverFieldPath(c.field)}:`), message);
      const rule = admissionRules.find((r) => r.id === c.rule);
      if (rule !== undefined) assert.ok(message.includes(rule.message), `expected "${rule.message}" in: ${message}`);
      await replaceCluster(h, namespace, edited(stored, c.valid));
    });
  }

  it('lets storage grow from 10Gi to 20Gi for real, then refuses 15Gi', async () => {
    await createCluster(h, namespace, edited(loadSample(), (m) => { m.metadata.name = 'grow'; }), true);
    const stored = await getCluster(h, namespace, 'grow');
    await h.objects.replaceNamespacedCustomObject({
      group: 'opengauss.sig', version: 'v1', plural: 'opengaussclusters', namespace, name: 'grow',
      body: edited(stored, (m) => { m.spec['storage'] = '20Gi'; }),
    });
    const grown = await getCluster(h, namespace, 'grow');
    assert.equal(grown.spec['storage'], '20Gi');
    const message = await rejection(replaceCluster(h, namespace, edited(grown, (m) => { m.spec['storage'] = '15Gi'; })));
    assert.match(message, /spec\.storage: .*storage may grow but never shrink/);
  });
});
