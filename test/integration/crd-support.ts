// Helpers shared by the crd-*.test.ts files: install the generated CRD into the shared control
// plane, own a namespace per file, send manifests with and without dry run, and read apiserver
// rejections. Every file applies the same CRD, so parallel files do not disturb each other.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ApiextensionsV1Api, ApiException, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { OpenGaussClusterResource as R } from '../../src/api/v1/index.ts';
import type { Manifest } from '../../src/api/v1/fixtures/admission-cases.ts';
import { sharedControlPlane, sharedKubeConfig } from '../support/env.ts';

const run = promisify(execFile);

export const CRD_DIR = fileURLToPath(new URL('../../config/crd/', import.meta.url));
export const SAMPLE_PATH = fileURLToPath(new URL('../../src/api/v1/fixtures/readme-sample.yaml', import.meta.url));

export type ClusterObject = Manifest & { metadata: { name: string; namespace?: string; resourceVersion?: string } };

export type CrdHarness = {
  readonly kc: KubeConfig;
  readonly objects: CustomObjectsApi;
  readonly extensions: ApiextensionsV1Api;
  readonly core: CoreV1Api;
};

export function createHarness(): CrdHarness {
  const kc = sharedKubeConfig();
  return { kc, objects: kc.makeApiClient(CustomObjectsApi), extensions: kc.makeApiClient(ApiextensionsV1Api), core: kc.makeApiClient(CoreV1Api) };
}

export async function kubectl(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const plane = sharedControlPlane();
  return run(plane.kubectlPath, ['--kubeconfig', plane.kubeconfigPath, ...args]);
}

export function loadSample(): ClusterObject {
  return parse(readFileSync(SAMPLE_PATH, 'utf8')) as ClusterObject;
}

export function edited(base: ClusterObject, edit: (m: Manifest) => void): ClusterObject {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Applies config/crd/ the way a user would (`kubectl apply -f config/crd/`) and waits until it is served. */
export async function installCrd(h: CrdHarness): Promise<void> {
  await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=og-operator-crd-tests', '-f', CRD_DIR]);
  await waitEstablished(h, R.crdName);
}

export async function waitEstablished(h: CrdHarness, name: string): Promise<void> {
  await until(`CRD ${name} Established`, 30_000, async () => {
    const crd = await h.extensions.readCustomResourceDefinition({ name });
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    return established === true ? true : undefined;
  });
}

export async function createNamespace(h: CrdHarness, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await h.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

export async function deleteNamespace(h: CrdHarness, name: string): Promise<void> {
  await h.core.deleteNamespace({ name });
}

const crd = { group: R.group, version: R.version, plural: R.plural } as const;

/** Creates `body` (with dryRun: 'All' unless `persist`), retrying while the new resource is not yet routed. */
export async function createCluster(h: CrdHarness, namespace: string, body: ClusterObject, persist = false): Promise<ClusterObject> {
  return until('the OpenGaussCluster resource to be served', 15_000, async () => {
    try {
      return (await h.objects.createNamespacedCustomObject({
        ...crd, namespace, body, fieldValidation: 'Strict', ...(persist ? {} : { dryRun: 'All' }),
      })) as ClusterObject;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw error;
    }
  });
}

export async function getCluster(h: CrdHarness, namespace: string, name: string): Promise<ClusterObject> {
  return (await h.objects.getNamespacedCustomObject({ ...crd, namespace, name })) as ClusterObject;
}

/** Replaces a stored object with dry run, as `kubectl apply` of an edited manifest would. */
export async function replaceCluster(h: CrdHarness, namespace: string, body: ClusterObject): Promise<ClusterObject> {
  return (await h.objects.replaceNamespacedCustomObject({
    ...crd, namespace, name: body.metadata.name, body, dryRun: 'All', fieldValidation: 'Strict',
  })) as ClusterObject;
}

export async function replaceStatus(h: CrdHarness, namespace: string, body: ClusterObject & { status: unknown }): Promise<ClusterObject> {
  return (await h.objects.replaceNamespacedCustomObjectStatus({ ...crd, namespace, name: body.metadata.name, body })) as ClusterObject;
}

/** '/spec/iplist/0/ip' → 'spec.iplist[0].ip', as apiserver messages name fields. */
export function serverFieldPath(pointer: string): string {
  return pointer.slice(1).split('/').reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

/** Asserts the call fails with 422 Invalid and returns the apiserver's message. */
export async function rejection(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
    const body: unknown = error.body;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    assert.equal(error.code, 422, text);
    const message = (JSON.parse(text) as { message?: string }).message ?? text;
    return message;
  }
  assert.fail('the apiserver accepted the object');
}
