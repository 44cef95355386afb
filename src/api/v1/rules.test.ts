import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOpenApiSchema, type JsonObject } from './crd.ts';
import { admissionCases, transitionCases } from './fixtures/admission-cases.ts';
import { admissionRules } from './rules.ts';

/** The schema node a rule pointer designates (`*` = array items). */
function schemaAt(pointer: string): JsonObject | undefined {
  let node: JsonObject | undefined = buildOpenApiSchema();
  for (const part of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const next: unknown = part === '*' ? node?.['items'] : (node?.['properties'] as JsonObject | undefined)?.[part];
    node = typeof next === 'object' && next !== null ? (next as JsonObject) : undefined;
  }
  return node;
}

describe('admission rules', () => {
  it('have unique kebab-case ids', () => {
    const ids = admissionRules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('are all attached to the CRD schema at their pointer', () => {
    for (const r of admissionRules) {
      const rules = (schemaAt(r.at)?.['x-kubernetes-validations'] ?? []) as Array<{ rule: string }>;
      assert.ok(rules.some((v) => v.rule === r.cel), `${r.id} is not at ${r.at || '<root>'}`);
    }
  });

  it('use oldSelf exactly when they are transition or creation rules', () => {
    for (const r of admissionRules) assert.equal(r.cel.includes('oldSelf'), r.oldSelf !== 'none', r.id);
  });

  it('put no transition rule under an atomic list item, where the apiserver cannot pair old and new', () => {
    for (const r of admissionRules.filter((x) => x.oldSelf !== 'none')) assert.ok(!r.at.includes('*'), r.id);
  });

  it('name in their message the field the error points at', () => {
    for (const r of admissionRules) {
      const field = `${r.at}${r.field ?? ''}`.split('/').filter((p) => p !== '*').at(-1) ?? '';
      assert.ok(r.message.includes(field), `${r.id}: "${r.message}" does not name ${field}`);
    }
  });

  it('are each exercised by an admission or transition case', () => {
    const covered = new Set([...admissionCases, ...transitionCases].map((c) => c.rule));
    for (const r of admissionRules) assert.ok(covered.has(r.id), `no case exercises ${r.id}`);
  });
});
