import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import Value from 'typebox/value';
import { Settings } from 'typebox/system';
import { parse } from 'yaml';
import { OpenGaussCluster } from './cluster.ts';
import { applyDefaults, schemaIssues, type JsonSchema } from './json-schema.ts';
import { openGaussClusterSchema } from './openapi-schema.generated.ts';
import { ClusterSpec } from './spec.ts';

describe('json-schema keywords', () => {
  it('reports a wrong type once and checks nothing else of that value', () => {
    assert.deepEqual(schemaIssues({ type: 'string', maxLength: 1 }, 12), [{ path: '', keyword: 'type', message: 'must be a string' }]);
    assert.deepEqual(schemaIssues({ type: 'integer' }, 1.5).map((i) => i.keyword), ['type']);
    assert.deepEqual(schemaIssues({ type: 'object' }, []).map((i) => i.keyword), ['type']);
    assert.deepEqual(schemaIssues({ type: 'array' }, null).map((i) => i.keyword), ['type']);
  });

  it('applies string keywords to strings and number keywords to numbers only (an int-or-string)', () => {
    const quantity: JsonSchema = { anyOf: [{ type: 'integer' }, { type: 'string' }], minimum: 0, maxLength: 3, pattern: '^[0-9]+G$' };
    assert.deepEqual(schemaIssues(quantity, '2G'), []);
    assert.deepEqual(schemaIssues(quantity, 7), []);
    assert.deepEqual(schemaIssues(quantity, -1).map((i) => i.keyword), ['minimum']);
    assert.deepEqual(schemaIssues(quantity, '1000G').map((i) => i.keyword), ['maxLength']);
    assert.deepEqual(schemaIssues(quantity, 'two').map((i) => i.keyword), ['pattern']);
    assert.deepEqual(schemaIssues(quantity, true), [{ path: '', keyword: 'anyOf', message: 'must be an integer or a string' }]);
  });

  it('counts characters as code points, as the apiserver does', () => {
    assert.deepEqual(schemaIssues({ type: 'string', maxLength: 2 }, '😀😀'), []);
    assert.deepEqual(schemaIssues({ type: 'string', maxLength: 1 }, '😀😀').map((i) => i.keyword), ['maxLength']);
  });

  it('names a missing property and a bad map value by their own escaped paths', () => {
    const schema: JsonSchema = {
      type: 'object', required: ['ip'],
      properties: { ip: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 2 } } },
    };
    assert.deepEqual(schemaIssues(schema, { labels: { 'a/b~c': 'long' } }).map((i) => i.path), ['/ip', '/labels/a~1b~0c']);
    assert.deepEqual(schemaIssues(schema, { ip: 'x', unknown: 1 }), [], 'unnamed properties are allowed');
    assert.deepEqual(schemaIssues({ ...schema, additionalProperties: false }, { ip: 'x', unknown: 1 }).map((i) => i.path), ['/unknown']);
  });

  it('checks enum, bounds of arrays and maps, and items by index', () => {
    assert.deepEqual(schemaIssues({ type: 'string', enum: ['a', 'b'] }, 'c').map((i) => i.keyword), ['enum']);
    assert.deepEqual(schemaIssues({ type: 'array', maxItems: 1, items: { type: 'integer' } }, [1, 'x']).map((i) => `${i.path} ${i.keyword}`), [' maxItems', '/1 type']);
    assert.deepEqual(schemaIssues({ type: 'object', maxProperties: 1 }, { a: 1, b: 2 }).map((i) => i.keyword), ['maxProperties']);
  });

  it('fills defaults depth first, into a defaulted parent too, and never over a value', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        port: { type: 'integer', default: 5432 },
        schedule: { type: 'object', default: {}, properties: { timeout: { type: 'integer', default: 300 } } },
        list: { type: 'array', items: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } },
      },
    };
    assert.deepEqual(applyDefaults(schema, {}), { port: 5432, schedule: { timeout: 300 } });
    assert.deepEqual(applyDefaults(schema, { port: 1, list: [{}, { weight: 5 }] }), { port: 1, schedule: { timeout: 300 }, list: [{ weight: 1 }, { weight: 5 }] });
    const shared = applyDefaults(schema, {}) as { schedule: object };
    assert.notEqual(shared.schedule, (applyDefaults(schema, {}) as { schedule: object }).schedule, 'a default is copied, never shared');
  });
});

// The oracle: TypeBox's own validator and defaulter on the TypeBox schema, reduced to the same
// shape (one issue per missing property, no per-branch anyOf errors, no map-level error when a
// value inside is wrong, nothing but the type error for a value of the wrong type). The operator
// runs json-schema.ts on the generated JSON; they must agree.
// TypeBox stops at 8 errors by default; json-schema.ts reports them all.
Settings.Set({ maxErrors: 10_000 });

function typeboxIssues(value: unknown): string[] {
  const raw = [...Value.Errors(OpenGaussCluster, value)];
  const out = new Set<string>();
  for (const e of raw) {
    if (e.schemaPath.includes('/anyOf/')) continue;
    if (e.keyword === 'additionalProperties' && raw.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`))) continue;
    if (e.keyword === 'required') {
      for (const p of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) out.add(`${e.instancePath}/${p.replaceAll('~', '~0').replaceAll('/', '~1')} required`);
      continue;
    }
    out.add(`${e.instancePath} ${e.keyword}`);
  }
  const mistyped = new Set([...out].filter((i) => i.endsWith(' type')).map((i) => i.slice(0, -' type'.length)));
  return [...out].filter((i) => i.endsWith(' type') || !mistyped.has(i.slice(0, i.lastIndexOf(' ')))).sort();
}

function ourIssues(value: unknown): string[] {
  return [...new Set(schemaIssues(openGaussClusterSchema, value).map((i) => `${i.path} ${i.keyword}`))].sort();
}

const sample = parse(readFileSync(new URL('./fixtures/readme-sample.yaml', import.meta.url), 'utf8')) as { metadata: object; spec: Record<string, unknown> };

/** Every place in a spec a value can go: properties, an array's first and a later item, a map key. */
function slots(schema: JsonSchema, path: readonly (string | number)[] = []): (string | number)[][] {
  const here: (string | number)[][] = path.length === 0 ? [] : [[...path]];
  const below = [
    ...Object.entries(schema.properties ?? {}).flatMap(([k, s]) => slots(s, [...path, k])),
    ...(schema.items === undefined ? [] : [...slots(schema.items, [...path, 0]), ...slots(schema.items, [...path, 3])]),
    ...(typeof schema.additionalProperties === 'object' ? slots(schema.additionalProperties, [...path, 'some/key']) : []),
  ];
  return [...here, ...below];
}

const specSchema = openGaussClusterSchema.properties?.['spec'] ?? {};
const specSlots = slots(specSchema);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', '1', '3Gi', '500m', '1.5', '-1', '+2', '1e3', '.5', 'G', '10 Gi', 'primary', 'standby', 'master', 'calico', 'kube-ovn', '127.0.0.1', '100M', 'opengauss:3.0.0'),
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 60, maxLength: 300 }),
  fc.integer({ min: -5, max: 70_000 }),
  fc.constantFrom(0, 1, 29_999, 30_000, 32_767, 32_768, 65_530, 65_531, 2 ** 31, 1.5, -0.5),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.record({ ip: fc.string({ maxLength: 16 }) })), { maxLength: 12 }),
  // Keys are never empty: TypeBox reports nothing at all for a bad value under the key "".
  fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.string({ maxLength: 70 }), fc.integer()), { maxKeys: 70 }),
  // Long lists and big maps, past maxItems (8, 9, 64) and maxProperties (32, 64).
  fc.array(fc.constantFrom('127.0.0.1', 'node1'), { minLength: 8, maxLength: 66 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.constant('v'), { minKeys: 30, maxKeys: 70 }),
);

type Edit = { readonly slot: (string | number)[]; readonly value: unknown };

/** Removed, empty, too long, out of range, of another type, too many items or keys, off-pattern. */
const boundaryValues: readonly unknown[] = [
  undefined, '', 'x'.repeat(300), '10 Gi', -1, 70_000, 1.5, null, true,
  Array.from({ length: 66 }, () => 'node1'), Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${String(i)}`, 'v'])),
];
const edit: fc.Arbitrary<Edit> = fc.record({ slot: fc.constantFrom(...specSlots), value: fc.option(anyValue, { nil: undefined }) });

function edited(edits: readonly Edit[]): { metadata: object; spec: Record<string, unknown> } {
  const object = structuredClone(sample);
  for (const { slot, value } of edits) {
    let node: Record<string | number, unknown> = object.spec;
    for (const key of slot.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) node[key] = typeof slot[slot.indexOf(key) + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
    const last = slot.at(-1) as string | number;
    if (value === undefined) delete node[last];
    else node[last] = structuredClone(value);
  }
  return object;
}

describe('json-schema.ts on the generated OpenGaussCluster schema', () => {
  it('knows every keyword the schema uses (an unknown one would be silently ignored)', () => {
    const known = new Set(['type', 'properties', 'additionalProperties', 'required', 'items', 'anyOf', 'enum', 'default', 'minimum', 'maximum',
      'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'minProperties', 'maxProperties',
      // Annotations: formats are not checked (see json-schema.ts), x-kubernetes-* shape the apiserver's handling.
      'format', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys']);
    const used = new Set<string>();
    const walk = (schema: JsonSchema): void => {
      for (const [k, v] of Object.entries(schema)) {
        used.add(k);
        if (k === 'properties') Object.values(v as Record<string, JsonSchema>).forEach(walk);
        else if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) walk(v as JsonSchema);
        else if (k === 'anyOf') (v as JsonSchema[]).forEach(walk);
      }
    };
    walk(openGaussClusterSchema);
    assert.deepEqual([...used].filter((k) => !known.has(k)), []);
  });

  it('finds the same issues as TypeBox on edited specs', () => {
    const seen = new Set<string>();
    const check = (edits: readonly Edit[]): void => {
      const object = edited(edits);
      const ours = ourIssues(object);
      for (const i of ours) seen.add(i.slice(i.lastIndexOf(' ') + 1));
      assert.deepEqual(ours, typeboxIssues(object), JSON.stringify(object.spec));
    };
    // Every slot with each boundary value first, so every kind of issue is reached on every run;
    // then random combinations of edits.
    for (const slot of specSlots) for (const value of boundaryValues) check([{ slot, value }]);
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), check), { numRuns: 1500 });
    // The edits reach every kind of issue the schema can raise, so agreement means something.
    for (const keyword of ['type', 'anyOf', 'enum', 'required', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'maxItems', 'maxProperties']) {
      assert.ok(seen.has(keyword), `no edit raised ${keyword}`);
    }
  });

  it('fills the same defaults as TypeBox on edited specs of the right types', () => {
    // Of a value with the wrong type, TypeBox fills an array as if it were an object; it is
    // refused either way, so only well-typed specs are compared.
    fc.assert(fc.property(fc.array(edit, { maxLength: 3 }), (edits) => {
      const object = edited(edits);
      fc.pre(!ourIssues(object).some((i) => i.endsWith(' type') || i.endsWith(' anyOf')));
      assert.deepEqual(applyDefaults(specSchema, structuredClone(object.spec)), Value.Default(ClusterSpec, structuredClone(object.spec)));
    }), { numRuns: 500, maxSkipsPerRun: 1000 });
  });
});
