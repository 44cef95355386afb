// Each admission rule in the real apiserver: the invalid manifest of every case in
// src/api/v1/fixtures/admission-cases.ts is rejected with a message naming the field, and its
// valid twin is accepted (server-side dry run). validate.test.ts runs the same table in process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admissionCases } from '../../src/api/v1/fixtures/admission-cases.ts';
import { admissionRules } from '../../src/api/v1/index.ts';
import {
  createCluster, createHarness, createNamespace, deleteNamespace, edited, installCrd, loadSample, rejection, serverFieldPath,
  type CrdHarness,
} from './crd-support.ts';

describe('OpenGaussCluster admission', () => {
  let h: CrdHarness;
  let namespace: string;

  before(async () => {
    h = createHarness();
    await installCrd(h);
    namespace = await createNamespace(h, 'crd-admission');
  });

  after(async () => {
    await deleteNamespace(h, namespace);
  });

  it('reports every problem of a manifest in one response, required fields included', async () => {
    const message = await rejection(createCluster(h, namespace, edited(loadSample(), (m) => {
      delete m.spec['image'];
      m.spec['writeport'] = m.spec['readport'];
      m.spec['cpu'] = '100m';
    })));
    for (const field of ['spec.image: Required value', 'spec.writeport:', 'spec.cpu:']) assert.ok(message.includes(field), message);
  });

  for (const c of admissionCases) {
    it(`rejects ${c.title} with a message naming ${serverFieldPath(c.field)}, and accepts its valid twin`, async () => {
      const message = await rejection(createCluster(h, namespace, edited(loadSample(), c.invalid)));
      assert.ok(message.includes(`${serverFieldPath(c.field)}:`), message);
      const rule = admissionRules.find((r) => r.id === c.rule);
      if (rule !== undefined) assert.ok(message.includes(rule.message), `expected "${rule.message}" in: ${message}`);
      await createCluster(h, namespace, edited(loadSample(), c.valid));
    });
  }
});
