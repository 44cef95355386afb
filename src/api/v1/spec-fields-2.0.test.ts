// The openGauss-operator 2.0 spec, field by field, against the CRD we ship. The names and types below
// are copied by hand from ../shared/reference/seed-operator.md (§2.2 Spec fields, §2.3 Nested types)
// rather than derived from our schema, so a renamed, dropped or retyped field fails here even when
// every generated artefact agrees with itself. An existing 2.0 manifest must stay valid: same JSON
// name, and a type that accepts every value 2.0 accepted.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

/** A 2.0 Go field type, as seed-operator.md writes it. */
type GoType = 'int32' | 'int64' | 'integer' | 'string' | 'bool' | 'quantity' | '[]string' | 'map[string]string' | 'struct' | '[]struct';

/** `a.b` is a property of the object `a`, `a[].b` a property of the items of the list `a`. */
const SPEC_FIELDS_2_0: ReadonlyArray<readonly [path: string, type: GoType]> = [
  ['readport', 'int32'],
  ['writeport', 'int32'],
  ['dbport', 'int32'],
  ['dbpasswd', 'string'],
  ['image', 'string'],
  ['sidecarimage', 'string'],
  ['localrole', 'string'],
  ['cpu', 'quantity'],
  ['memory', 'quantity'],
  ['sidecarcpu', 'quantity'],
  ['sidecarmemory', 'quantity'],
  ['storage', 'quantity'],
  ['sidecarstorage', 'quantity'],
  ['bandwidth', 'quantity'],
  ['iplist', '[]struct'],
  ['iplist[].ip', 'string'],
  ['iplist[].nodename', 'string'],
  ['iplist[].extendip', 'string'],
  ['remoteiplist', '[]string'],
  ['backuppath', 'string'],
  ['archivelogpath', 'string'],
  ['hostpathroot', 'string'],
  ['storageclass', 'string'],
  ['maintenance', 'bool'],
  ['config', 'map[string]string'],
  ['scriptconfig', 'string'],
  ['filebeatconfig', 'string'],
  ['restorefile', 'string'],
  ['schedule', 'struct'],
  ['schedule.processTimeout', 'integer'],
  ['schedule.gracePeriod', 'integer'],
  ['schedule.toleration', 'integer'],
  ['schedule.mostavailabletimeout', 'integer'],
  ['schedule.nodes', '[]string'],
  ['schedule.pollingPeriod', 'int64'],
  ['schedule.livenessProbePeriod', 'integer'],
  ['schedule.readinessProbePeriod', 'integer'],
  ['schedule.nodelabels', 'map[string]string'],
  ['customizedenv', 'map[string]string'],
  ['annotations', 'map[string]string'],
  ['labels', 'map[string]string'],
  ['networkclass', 'string'],
];

type Schema = { readonly [keyword: string]: unknown };

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const child = (schema: Schema | undefined, keyword: string): Schema | undefined => {
  const value = schema?.[keyword];
  return isSchema(value) ? value : undefined;
};

/** The schema node of a field path such as `iplist[].nodename`, or undefined when a name on the way is missing. */
function fieldSchema(specSchema: Schema, path: string): Schema | undefined {
  let node: Schema | undefined = specSchema;
  for (const name of path.split('.')) {
    const list = name.endsWith('[]');
    node = child(child(node, 'properties'), list ? name.slice(0, -2) : name);
    if (list) node = child(node, 'items');
  }
  return node;
}

const isIntOrString = (s: Schema) => s['x-kubernetes-int-or-string'] === true;
const hasType = (s: Schema | undefined, type: string) => s?.['type'] === type;
const integerWithin = (s: Schema, formats: ReadonlyArray<string | undefined>) => hasType(s, 'integer') && formats.includes(s['format'] as string | undefined);

/**
 * Whether our schema node accepts every value 2.0 accepted for a Go type. bandwidth is the one quantity
 * kept as a string: 2.0 panicked on a number without unit (seed-operator.md §10.27), so no working
 * 2.0 manifest writes one, and docs/api.md lists the refusal.
 */
function accepts(schema: Schema, type: GoType, path: string): boolean {
  switch (type) {
    case 'int32': return integerWithin(schema, [undefined, 'int32', 'int64']);
    case 'int64': return integerWithin(schema, [undefined, 'int64']);
    case 'integer': return hasType(schema, 'integer');
    case 'string': return hasType(schema, 'string');
    case 'bool': return hasType(schema, 'boolean');
    case 'quantity': return isIntOrString(schema) || (path === 'bandwidth' && hasType(schema, 'string'));
    case '[]string': return hasType(schema, 'array') && hasType(child(schema, 'items'), 'string');
    case 'map[string]string': return hasType(schema, 'object') && hasType(child(schema, 'additionalProperties'), 'string');
    case 'struct': return hasType(schema, 'object') && isSchema(schema['properties']);
    case '[]struct': return hasType(schema, 'array') && hasType(child(schema, 'items'), 'object');
  }
}

/** Every 2.0 field our spec schema lacks or types incompatibly, as readable lines. */
function incompatibleFields(specSchema: Schema): string[] {
  return SPEC_FIELDS_2_0.flatMap(([path, type]) => {
    const node = fieldSchema(specSchema, path);
    if (node === undefined) return [`spec.${path}: missing`];
    return accepts(node, type, path) ? [] : [`spec.${path}: does not accept 2.0's ${type}: ${JSON.stringify(node)}`];
  });
}

const CRD_DIR = new URL('../../../config/crd/', import.meta.url);

/** spec's openAPIV3Schema in the committed OpenGaussCluster CRD, the file users apply. */
function committedSpecSchema(): Schema {
  for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    const crd = parse(readFileSync(new URL(file, CRD_DIR), 'utf8')) as { kind?: string; spec?: { names?: { kind?: string }; versions?: Schema[] } };
    if (crd.kind !== 'CustomResourceDefinition' || crd.spec?.names?.kind !== 'OpenGaussCluster') continue;
    const version = crd.spec.versions?.find((v) => v['name'] === 'v1');
    const spec = fieldSchema(child(child(version, 'schema'), 'openAPIV3Schema') ?? {}, 'spec');
    if (spec !== undefined) return spec;
  }
  assert.fail('no OpenGaussCluster v1 CRD with a spec schema in config/crd/');
}

describe('the openGauss-operator 2.0 spec fields', () => {
  it('are all in config/crd/ under their 2.0 JSON names, with a type that accepts 2.0 values', () => {
    assert.deepEqual(incompatibleFields(committedSpecSchema()), []);
  });

  it('would be reported missing, renamed or retyped (the check itself can fail)', () => {
    const spec = structuredClone(committedSpecSchema()) as { properties: Record<string, Schema & { items?: { properties: Record<string, Schema> } }> };
    delete spec.properties['sidecarmemory'];
    const iplistMembers = spec.properties['iplist']?.items?.properties ?? {};
    iplistMembers['nodeName'] = iplistMembers['nodename'] ?? {};
    delete iplistMembers['nodename'];
    spec.properties['dbport'] = { type: 'string' };
    spec.properties['cpu'] = { type: 'string' };
    assert.deepEqual(incompatibleFields(spec).map((line) => line.split(':')[0]), ['spec.dbport', 'spec.cpu', 'spec.sidecarmemory', 'spec.iplist[].nodename']);
  });
});
