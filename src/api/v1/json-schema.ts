// A small JSON Schema interpreter for the keywords a Kubernetes structural schema uses: the
// operator validates and defaults specs with it from the JSON the TypeBox schemas generate
// (openapi-schema.generated.ts), so the running process never loads TypeBox (≈ 11 MiB of RSS for
// its ~680 modules; the issue's budget is 100 MiB with 10 clusters). A property test holds it
// equal to TypeBox's own Value.Errors and Value.Default on the OpenGaussCluster schema.
//
// Semantics are JSON Schema's: a keyword applies only to values of its kind (pattern to strings,
// minimum to numbers), properties not named are allowed, `format` is an annotation (the apiserver
// checks no format of an integer, and status, where date-time appears, is never validated here).

export type JsonSchema = {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly [annotation: string]: unknown;
};

export type SchemaIssueKeyword =
  | 'type' | 'anyOf' | 'enum' | 'required' | 'additionalProperties'
  | 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern'
  | 'minItems' | 'maxItems' | 'minProperties' | 'maxProperties';

export type SchemaIssue = {
  /** JSON pointer from the validated value to the offending one (a missing property's own path). */
  readonly path: string;
  readonly keyword: SchemaIssueKeyword;
  readonly message: string;
};

/** Every way `value` breaks `schema`; an anyOf that no branch satisfies is one issue, not one per branch. */
export function schemaIssues(schema: JsonSchema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(schema, value, { path: '', issues });
  return issues;
}

/** Fills every absent property whose schema has a default, depth first, as the apiserver does. */
export function applyDefaults(schema: JsonSchema, value: unknown): unknown {
  const here = value === undefined && schema.default !== undefined ? structuredClone(schema.default) : value;
  if (Array.isArray(here)) {
    if (schema.items !== undefined) for (const [i, item] of here.entries()) here[i] = applyDefaults(schema.items, item);
  } else if (isObject(here)) {
    defaultProperties(schema, here);
  }
  return here;
}

function defaultProperties(schema: JsonSchema, object: Record<string, unknown>): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const filled = applyDefaults(property, object[key]);
    if (filled !== undefined) object[key] = filled;
  }
  const extra = schema.additionalProperties;
  if (typeof extra !== 'object') return;
  for (const key of Object.keys(object)) {
    if (schema.properties?.[key] === undefined) object[key] = applyDefaults(extra, object[key]);
  }
}

// Where the walk is: the current value's pointer and the list issues go to.
type Site = { readonly path: string; readonly issues: SchemaIssue[] };

const at = (site: Site, segment: string | number): Site => ({ path: `${site.path}/${escapePointer(String(segment))}`, issues: site.issues });
const report = (site: Site, keyword: SchemaIssueKeyword, message: string): void => { site.issues.push({ path: site.path, keyword, message }); };

function check(schema: JsonSchema, value: unknown, site: Site): void {
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    report(site, 'type', `must be ${article(schema.type)}`);
    return;
  }
  if (schema.anyOf !== undefined && !schema.anyOf.some((branch) => schemaIssues(branch, value).length === 0)) {
    report(site, 'anyOf', `must be ${schema.anyOf.map((b) => (b.type === undefined ? 'valid' : article(b.type))).join(' or ')}`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    report(site, 'enum', `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (typeof value === 'number') checkNumber(schema, value, site);
  else if (typeof value === 'string') checkString(schema, value, site);
  else if (Array.isArray(value)) checkArray(schema, value, site);
  else if (isObject(value)) checkObject(schema, value, site);
}

function checkNumber(schema: JsonSchema, value: number, site: Site): void {
  if (schema.minimum !== undefined && value < schema.minimum) report(site, 'minimum', `must be at least ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) report(site, 'maximum', `must be at most ${schema.maximum}`);
}

function checkString(schema: JsonSchema, value: string, site: Site): void {
  // Characters are code points, as the apiserver counts them (a UTF-16 length would count two for one).
  const length = schema.minLength === undefined && schema.maxLength === undefined ? 0 : [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) report(site, 'minLength', `must have at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined && length > schema.maxLength) report(site, 'maxLength', `must have at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) report(site, 'pattern', `must match ${schema.pattern}`);
}

function checkArray(schema: JsonSchema, value: readonly unknown[], site: Site): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) report(site, 'minItems', `must have at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) report(site, 'maxItems', `must have at most ${schema.maxItems} items`);
  const items = schema.items;
  if (items !== undefined) value.forEach((item, i) => check(items, item, at(site, i)));
}

function checkObject(schema: JsonSchema, value: Readonly<Record<string, unknown>>, site: Site): void {
  const keys = Object.keys(value);
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) report(site, 'minProperties', `must have at least ${schema.minProperties} entries`);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) report(site, 'maxProperties', `must have at most ${schema.maxProperties} entries`);
  for (const key of schema.required ?? []) if (value[key] === undefined) report(at(site, key), 'required', 'is required');
  for (const key of keys) checkProperty(schema, key, value[key], at(site, key));
}

/** A property's value against its own schema, or against additionalProperties when the schema names none. */
function checkProperty(schema: JsonSchema, key: string, value: unknown, site: Site): void {
  const property = schema.properties?.[key];
  if (property !== undefined) check(property, value, site);
  else if (schema.additionalProperties === false) report(site, 'additionalProperties', 'is not a known field');
  else if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties, value, site);
}

function hasType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
  }
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

// The schema's few patterns, compiled once each.
const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let regExp = patterns.get(pattern);
  if (regExp === undefined) patterns.set(pattern, (regExp = new RegExp(pattern)));
  return regExp;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
