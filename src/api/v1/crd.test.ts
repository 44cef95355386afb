import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import Value from 'typebox/value';
import { parse } from 'yaml';
import { CRD_PATH, VALIDATION_SCHEMA_PATH, renderCrdYaml, renderValidationSchemaModule } from '../../../scripts/gen-crd.ts';
import { buildCustomResourceDefinition, buildOpenApiSchema, type JsonObject, type JsonValue } from './crd.ts';
import { printerColumns } from './printer-columns.ts';

type Node = { readonly path: string; readonly schema: JsonObject };

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every schema node with its path, the way the apiserver walks a structural schema. */
function* walk(schema: JsonObject, path = ''): Generator<Node> {
  yield { path: path || '<root>', schema };
  const properties = schema['properties'];
  if (isObject(properties)) {
    for (const [key, child] of Object.entries(properties)) if (isObject(child)) yield* walk(child, `${path}.${key}`);
  }
  const items = schema['items'];
  if (isObject(items)) yield* walk(items, `${path}[]`);
  const additional = schema['additionalProperties'];
  if (isObject(additional)) yield* walk(additional, `${path}{}`);
}

const nodes = [...walk(buildOpenApiSchema())];
const specNodes = nodes.filter((n) => n.path.startsWith('.spec'));
const FORBIDDEN_KEYWORDS = ['$ref', '$id', '$schema', '$defs', 'definitions', 'oneOf', 'allOf', 'not', 'patternProperties', 'additionalItems', 'const', 'if', 'then', 'else', 'dependencies', 'dependentSchemas', 'unevaluatedProperties', 'prefixItems', 'nullable'];
const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean'];

function isIntOrString(schema: JsonObject): boolean {
  return schema['x-kubernetes-int-or-string'] === true;
}

describe('the generated CRD', () => {
  it('matches config/crd/ (otherwise run `npm run crds`)', () => {
    const committed = readFileSync(CRD_PATH, 'utf8');
    assert.ok(committed === renderCrdYaml(), 'config/crd/opengauss.sig_opengaussclusters.yaml is stale: run `npm run crds`');
  });

  it('matches the validation schema the operator reads (otherwise run `npm run crds`)', () => {
    const committed = readFileSync(VALIDATION_SCHEMA_PATH, 'utf8');
    assert.ok(committed === renderValidationSchemaModule(), 'src/api/v1/openapi-schema.generated.ts is stale: run `npm run crds`');
  });

  it('is the only file in config/crd/, so `kubectl apply -f config/crd/` applies just the CRD', () => {
    assert.deepEqual(readdirSync(new URL('../../../config/crd/', import.meta.url)), ['opengauss.sig_opengaussclusters.yaml']);
  });

  it('parses back to the object it was rendered from', () => {
    assert.deepEqual(parse(readFileSync(CRD_PATH, 'utf8')), buildCustomResourceDefinition());
  });

  it('serves opengauss.sig/v1 OpenGaussCluster with a status subresource and the 2.0 names', () => {
    const crd = buildCustomResourceDefinition() as { spec: { group: string; scope: string; names: JsonObject; versions: JsonObject[] } };
    assert.equal(crd.spec.group, 'opengauss.sig');
    assert.equal(crd.spec.scope, 'Namespaced');
    assert.deepEqual(crd.spec.names, { kind: 'OpenGaussCluster', listKind: 'OpenGaussClusterList', plural: 'opengaussclusters', singular: 'opengausscluster', shortNames: ['ogc'] });
    assert.equal(crd.spec.versions.length, 1);
    assert.deepEqual(crd.spec.versions[0]?.['subresources'], { status: {} });
  });
});

describe('printer columns', () => {
  it('print exactly the 2.0 README header by default', () => {
    const header = ['NAME', ...printerColumns.filter((c) => c.priority === undefined).map((c) => c.name.toUpperCase())].join(' ');
    assert.equal(header, 'NAME ROLE CPU MEMORY READ PORT WRITE PORT DB PORT STATE AGE');
  });

  it('show Primary and Image only with -o wide, and never a password', () => {
    assert.deepEqual(printerColumns.filter((c) => c.priority === 1).map((c) => c.name), ['Primary', 'Image']);
    assert.ok(printerColumns.every((c) => !/passw/i.test(c.name + c.jsonPath)));
  });
});

describe('the openAPIV3Schema is structural', () => {
  it('uses no keyword a structural schema forbids', () => {
    for (const { path, schema } of nodes) {
      for (const keyword of FORBIDDEN_KEYWORDS) assert.equal(keyword in schema, false, `${path} has ${keyword}`);
    }
  });

  it('gives every node a type, except the int-or-string form', () => {
    for (const { path, schema } of nodes) {
      if (isIntOrString(schema)) {
        assert.equal('type' in schema, false, `${path}: int-or-string must not declare a type`);
        continue;
      }
      assert.ok(TYPES.includes(schema['type'] as string), `${path} has type ${JSON.stringify(schema['type'])}`);
    }
  });

  it('uses anyOf only as [integer, string] under x-kubernetes-int-or-string', () => {
    for (const { path, schema } of nodes.filter((n) => 'anyOf' in n.schema)) {
      assert.ok(isIntOrString(schema), `${path} has anyOf without x-kubernetes-int-or-string`);
      assert.deepEqual(schema['anyOf'], [{ type: 'integer' }, { type: 'string' }], path);
    }
  });

  it('never sets properties and additionalProperties on one object, nor additionalProperties: false', () => {
    for (const { path, schema } of nodes) {
      assert.ok(!('properties' in schema && 'additionalProperties' in schema), path);
      assert.notEqual(schema['additionalProperties'], false, path);
    }
  });

  it('gives every array items and preserves unknown fields only on objects', () => {
    for (const { path, schema } of nodes) {
      if (schema['type'] === 'array') assert.ok(isObject(schema['items']), `${path} has no items`);
      if (schema['x-kubernetes-preserve-unknown-fields'] === true) assert.equal(schema['type'], 'object', path);
    }
  });

  it('keeps status.spec of adopted 2.0 objects as is', () => {
    const statusSpec = nodes.find((n) => n.path === '.status.spec');
    assert.equal(statusSpec?.schema['x-kubernetes-preserve-unknown-fields'], true);
  });

  it('bounds every spec string, list and map, which keeps CEL cost estimates within budget', () => {
    for (const { path, schema } of specNodes) {
      if (schema['type'] === 'string' && !('enum' in schema)) assert.ok('maxLength' in schema, `${path} has no maxLength`);
      if (isIntOrString(schema)) assert.ok('maxLength' in schema, `${path} has no maxLength`);
      if (schema['type'] === 'array') assert.ok('maxItems' in schema, `${path} has no maxItems`);
      if (schema['type'] === 'object' && 'additionalProperties' in schema) assert.ok('maxProperties' in schema, `${path} has no maxProperties`);
    }
  });

  it('describes every spec and status field (kubectl explain and docs/api.md read it)', () => {
    for (const { path, schema } of nodes.filter((n) => /^\.(spec|status)(\.[^.[{]+)*$/.test(n.path))) {
      assert.ok(typeof schema['description'] === 'string' && schema['description'].length > 0, `${path} has no description`);
    }
  });

  it('has only defaults that satisfy their own schema', () => {
    for (const { path, schema } of nodes.filter((n) => 'default' in n.schema)) {
      assert.ok(Value.Check(schema, schema['default']), `${path}: default ${JSON.stringify(schema['default'])} is invalid`);
    }
  });
});
