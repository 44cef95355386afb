// The CustomResourceDefinition, built from the TypeBox schemas: the only definition of the API.
// scripts/gen-crd.ts renders it to config/crd/; a unit test fails when that file is stale.
import { OpenGaussCluster } from './cluster.ts';
import { printerColumns } from './printer-columns.ts';
import { OpenGaussClusterResource as R } from './resource.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The openAPIV3Schema: the TypeBox schema as plain JSON, without TypeBox's own (non-enumerable) marks. */
export function buildOpenApiSchema(): JsonObject {
  return JSON.parse(JSON.stringify(OpenGaussCluster)) as JsonObject;
}

// Keys only people and the apiserver read: the operator's validator has TypeScript twins of the
// CEL rules (rules.ts) and needs no prose.
const DOCUMENTATION_KEYS = new Set(['description', 'x-kubernetes-validations']);

/** The openAPIV3Schema without descriptions and CEL: what openapi-schema.generated.ts holds for json-schema.ts. */
export function buildValidationSchema(): JsonObject {
  // `inNames`: the keys of a `properties` map are field names, never keywords to drop.
  const strip = (value: JsonValue, inNames = false): JsonValue => {
    if (Array.isArray(value)) return value.map((v) => strip(v));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value)
      .filter(([k]) => inNames || !DOCUMENTATION_KEYS.has(k))
      .map(([k, v]) => [k, strip(v, !inNames && k === 'properties')]));
  };
  return strip(buildOpenApiSchema()) as JsonObject;
}

export function buildCustomResourceDefinition(): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: R.crdName },
    spec: {
      group: R.group,
      names: { kind: R.kind, listKind: R.listKind, plural: R.plural, singular: R.singular, shortNames: [...R.shortNames] },
      scope: R.scope,
      versions: [{
        name: R.version,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: printerColumns.map((c) => ({ ...c })),
        schema: { openAPIV3Schema: buildOpenApiSchema() },
      }],
    },
  };
}
