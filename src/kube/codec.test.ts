import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// Tests may load the whole of client-node: its generated models are the reference here.
import * as models from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { dateFieldsOf, decodeObject, decodedModels } from './codec.ts';
import { defineKind, Kinds } from './kinds.ts';

type Attribute = { name: string; baseName: string; type: string };
type Model = { getAttributeTypeMap?: () => Attribute[] };

function attributesOf(type: string): Attribute[] | undefined {
  return ((models as Record<string, unknown>)[type] as Model | undefined)?.getAttributeTypeMap?.();
}

/** What client-node's serializer does to a model: its Date fields and its renamed properties, as paths. */
function serializerFacts(type: string, prefix = '', seen: readonly string[] = []): { dates: string[]; renamed: string[] } {
  const facts = { dates: [] as string[], renamed: [] as string[] };
  if (seen.includes(type)) return facts;
  for (const attribute of attributesOf(type) ?? []) {
    let path = `${prefix}${attribute.baseName}`;
    if (attribute.name !== attribute.baseName) facts.renamed.push(path);
    let inner = attribute.type;
    const list = /^Array<(.*)>$/.exec(inner);
    if (list?.[1] !== undefined) [inner, path] = [list[1], `${path}[]`];
    // Maps are not in codec.ts's path syntax: a Date inside one makes this test fail, as it should.
    const map = /^\{ \[key: string\]: (.*); \}$/.exec(inner);
    if (map?.[1] !== undefined) [inner, path] = [map[1], `${path}{}`];
    if (inner === 'Date') facts.dates.push(path);
    const below = serializerFacts(inner, `${path}.`, [...seen, type]);
    facts.dates.push(...below.dates);
    facts.renamed.push(...below.renamed);
  }
  return facts;
}

const usedModels = [...new Set([...decodedModels, ...Object.values(Kinds).map((k) => k.model)])].filter((m): m is string => m !== undefined);

describe('wire codec', () => {
  for (const model of usedModels) {
    it(`converts exactly the Date fields client-node's serializer converts in ${model}, and ${model} renames no wire field`, () => {
      const facts = serializerFacts(model);
      // managedFields are stripped before decoding; their times never reach the operator.
      const expected = facts.dates.filter((p) => !p.includes('managedFields[]')).sort();
      assert.deepEqual([...dateFieldsOf(model)].sort(), expected);
      assert.deepEqual(facts.renamed, [], 'objects go on the wire as JSON, so TypeScript names must equal wire names');
    });
  }

  it('decodes a built-in kind like the generated APIs do (Date timestamps) and strips managedFields', () => {
    const raw = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: '2026-01-02T03:04:05Z', managedFields: [{ manager: 'x' }] },
      status: { startTime: '2026-01-02T03:04:06Z', containerStatuses: [{ name: 'og', state: { running: { startedAt: '2026-01-02T03:04:07Z' } } }] },
    };
    const pod: V1Pod = decodeObject(Kinds.Pod, raw);
    assert.ok(pod.metadata?.creationTimestamp instanceof Date);
    assert.ok(pod.status?.startTime instanceof Date);
    assert.equal(pod.status.containerStatuses?.[0]?.state?.running?.startedAt?.toISOString(), '2026-01-02T03:04:07.000Z');
    assert.equal((pod.metadata as Record<string, unknown>)['managedFields'], undefined);
    assert.equal((JSON.parse(JSON.stringify(pod)) as V1Pod & { status: { startTime: string } }).status.startTime, '2026-01-02T03:04:06.000Z', 'a Date goes back out as RFC 3339');
  });

  it('leaves custom resources as plain JSON', () => {
    const kind = defineKind({ group: 'example.test', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true });
    const raw = { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', managedFields: [], creationTimestamp: '2026-01-02T03:04:05Z' }, spec: { size: 3 } };
    assert.deepEqual(decodeObject(kind, raw), { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', creationTimestamp: '2026-01-02T03:04:05Z' }, spec: { size: 3 } });
  });
});
