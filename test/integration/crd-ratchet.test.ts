// Adoption of objects stored under an older, looser CRD (2.0's has no validation at all): with our
// schema installed over it, such an object must still take status writes and metadata edits, or
// the operator could not even report `invalid` (the apiserver ratchets: unchanged invalid parts
// are accepted). A spec edit, though, must fix what is wrong. A separate API group keeps these CRD
// swaps away from the other test files.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiException } from '@kubernetes/client-node';
import { buildCustomResourceDefinition, type JsonObject } from '../../src/api/v1/crd.ts';
import { createHarness, createNamespace, deleteNamespace, kubectl, loadSample, rejection, waitEstablished, type CrdHarness } from './crd-support.ts';

const GROUP = 'ratchet.opengauss.test';
const NAME = `opengaussclusters.${GROUP}`;
const resource = { group: GROUP, version: 'v1', plural: 'opengaussclusters' } as const;

type Crd = { metadata: { name: string }; spec: { group: string; versions: Array<{ schema: { openAPIV3Schema: JsonObject } }> } };

function ourCrd(): Crd {
  const crd = structuredClone(buildCustomResourceDefinition()) as unknown as Crd;
  crd.metadata.name = NAME;
  crd.spec.group = GROUP;
  return crd;
}

function looseCrd(): Crd {
  const crd = ourCrd();
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  for (const v of crd.spec.versions) v.schema.openAPIV3Schema = { type: 'object', properties: { spec: open, status: open } };
  return crd;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('objects adopted from a looser CRD', () => {
  let h: CrdHarness;
  let namespace: string;

  // Through kubectl: the typed client would drop the x-kubernetes-* keys it does not model.
  async function installVersion(crd: Crd): Promise<void> {
    const file = join(await mkdtemp(join(tmpdir(), 'crd-ratchet-')), 'crd.json');
    await writeFile(file, JSON.stringify(crd));
    await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=crd-ratchet-test', '-f', file]);
    await rm(dirname(file), { recursive: true, force: true });
    await waitEstablished(h, NAME);
  }

  /** Waits until the apiserver judges new objects by the installed schema (a probe without image is refused). */
  async function waitStrict(): Promise<void> {
    const probe = { apiVersion: `${GROUP}/v1`, kind: 'OpenGaussCluster', metadata: { name: 'probe' }, spec: { readport: 31000 } };
    for (let i = 0; i < 100; i += 1) {
      try {
        await h.objects.createNamespacedCustomObject({ ...resource, namespace, body: probe, dryRun: 'All' });
      } catch (error) {
        if (error instanceof ApiException && error.code === 422) return;
      }
      await sleep(100);
    }
    assert.fail('the strict schema never took effect');
  }

  async function storeWithoutImage(name: string): Promise<Record<string, unknown>> {
    await installVersion(looseCrd());
    const body = loadSample();
    body.apiVersion = `${GROUP}/v1`;
    body.metadata.name = name;
    delete body.spec['image'];
    for (let i = 0; ; i += 1) {
      try {
        return (await h.objects.createNamespacedCustomObject({ ...resource, namespace, body })) as Record<string, unknown>;
      } catch (error) {
        if (!(error instanceof ApiException && error.code === 404) || i > 50) throw error;
        await sleep(100);
      }
    }
  }

  const writeStatus = async (name: string): Promise<unknown> => {
    const stored = (await h.objects.getNamespacedCustomObject({ ...resource, namespace, name })) as Record<string, unknown>;
    return (await h.objects.replaceNamespacedCustomObjectStatus({ ...resource, namespace, name, body: { ...stored, status: { state: 'invalid', message: '/spec/image: image is required' } } })) as unknown;
  };

  before(async () => {
    h = createHarness();
    namespace = await createNamespace(h, 'crd-ratchet');
  });

  after(async () => {
    await deleteNamespace(h, namespace);
    await h.extensions.deleteCustomResourceDefinition({ name: NAME });
  });

  it('still takes status writes and label edits on a stored object without image and with a too-long name', async () => {
    const name = `adopted-${'x'.repeat(45)}`;
    await storeWithoutImage(name);
    await installVersion(ourCrd());
    await waitStrict();
    await writeStatus(name);
    await h.objects.patchNamespacedCustomObject(
      { ...resource, namespace, name, body: [{ op: 'add', path: '/metadata/labels', value: { team: 'db' } }] },
    );
    const stored = (await h.objects.getNamespacedCustomObject({ ...resource, namespace, name })) as { status?: { state?: string } };
    assert.equal(stored.status?.state, 'invalid');
  });

  it('refuses a spec edit of that object until image is set, naming spec.image', async () => {
    await storeWithoutImage('adopted-edit');
    await installVersion(ourCrd());
    await waitStrict();
    const stored = (await h.objects.getNamespacedCustomObject({ ...resource, namespace, name: 'adopted-edit' })) as { spec: Record<string, unknown> };
    const edit = (spec: Record<string, unknown>) => h.objects.replaceNamespacedCustomObject({ ...resource, namespace, name: 'adopted-edit', body: { ...stored, spec }, dryRun: 'All' });
    const message = await rejection(edit({ ...stored.spec, maintenance: true }));
    assert.match(message, /spec\.image: Required value: image is required/);
    await edit({ ...stored.spec, maintenance: true, image: 'opengauss-5.0.2:latest' });
  });
});
