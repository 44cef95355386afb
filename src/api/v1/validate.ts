// In-process validation of an OpenGaussCluster, equal to what the apiserver admits: schema defaults,
// then the OpenAPI schema (generated from the TypeBox schemas, read by json-schema.ts), then the
// admission rules' TypeScript twins. The reconciler uses it on objects admitted under an older CRD
// and to compare a spec with the last applied one. Issues carry JSON pointers (`/spec/iplist/1/ip`)
// for status messages.
//
// Not emulated: ratcheting (the apiserver accepts an unchanged invalid value on update); the
// reconciler wants to know that a value is invalid even when it was accepted long ago.
import { escapePointer, schemaIssues } from './json-schema.ts';
import { openGaussClusterSchema } from './openapi-schema.generated.ts';
import type { AdmissionRule } from './rule-kit.ts';
import { admissionRules } from './rules.ts';
import { applySchemaDefaults } from './schema-defaults.ts';
import type { ValidSpec } from './resolve-defaults.ts';

export type ValidationIssue = {
  /** JSON pointer from the object root to the offending field. */
  readonly path: string;
  readonly message: string;
  /** Id of the admission rule (rules.ts) that failed; absent for plain schema constraints. */
  readonly rule?: string;
};

export type ValidationResult =
  | { readonly ok: true; readonly spec: ValidSpec }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** The part of an object that validation reads: status is the operator's and is never judged here. */
export type ClusterInput = { readonly metadata?: { readonly name?: string }; readonly spec?: unknown };

type Located = { readonly path: readonly string[]; readonly value: unknown };

/**
 * Validates `cluster`; with `previous` (the stored object, or one built around the last applied spec)
 * the transition rules (immutable fields, grow-only sizes) apply too, as on an update.
 */
export function validateCluster(cluster: ClusterInput, previous?: ClusterInput): ValidationResult {
  const current = withDefaults(cluster);
  const old = previous === undefined ? undefined : withDefaults(previous);
  const schemaIssues = schemaIssuesOf(current);
  // The apiserver skips CEL when a value has the wrong JSON type: the twins could not read it either.
  if (schemaIssues.some((i) => i.typeError)) return { ok: false, issues: schemaIssues.map(stripTypeFlag) };
  const issues = [...schemaIssues.map(stripTypeFlag), ...admissionRules.flatMap((r) => ruleIssues(r, current, old))];
  return issues.length === 0 ? { ok: true, spec: current['spec'] as ValidSpec } : { ok: false, issues };
}

/** "path: message; path: message", for status.message and events. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

function withDefaults(input: ClusterInput): Record<string, unknown> {
  const object: Record<string, unknown> = { metadata: structuredClone(input.metadata ?? {}) };
  if (isPlainObject(input.spec)) object['spec'] = applySchemaDefaults(input.spec);
  else if (input.spec !== undefined) object['spec'] = structuredClone(input.spec);
  return object;
}

type SchemaIssue = ValidationIssue & { readonly typeError: boolean };

function schemaIssuesOf(object: Record<string, unknown>): SchemaIssue[] {
  return schemaIssues(openGaussClusterSchema, object).map((i) => ({
    path: i.path,
    message: i.message,
    typeError: i.keyword === 'type' || i.keyword === 'anyOf',
  }));
}

function stripTypeFlag(issue: SchemaIssue): ValidationIssue {
  return { path: issue.path, message: issue.message };
}

function ruleIssues(r: AdmissionRule, current: unknown, old: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const here of locate(current, segments(r.at), [])) {
    const before = r.oldSelf === 'none' ? undefined : valueAt(old, here.path);
    if (r.oldSelf === 'transition' && before === undefined) continue;
    if (r.holds(here.value, before)) continue;
    issues.push({ path: toPointer(here.path) + (r.field ?? ''), message: r.message, rule: r.id });
  }
  return issues;
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/');
}

/** Every value at `pattern` (`*` matches each array item), with its concrete path. */
function* locate(value: unknown, pattern: readonly string[], path: readonly string[]): Generator<Located> {
  if (value === undefined) return;
  const [head, ...rest] = pattern;
  if (head === undefined) {
    yield { path, value };
    return;
  }
  if (head === '*') {
    if (!Array.isArray(value)) return;
    for (const [index, item] of value.entries()) yield* locate(item, rest, [...path, String(index)]);
    return;
  }
  if (isPlainObject(value)) yield* locate(value[head], rest, [...path, head]);
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let here = value;
  for (const key of path) {
    if (Array.isArray(here)) here = here[Number(key)];
    else if (isPlainObject(here)) here = here[key];
    else return undefined;
  }
  return here;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toPointer(path: readonly string[]): string {
  return path.map((p) => `/${escapePointer(p)}`).join('');
}
