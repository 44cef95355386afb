// Builders for what a Kubernetes structural schema needs and raw TypeBox would emit wrongly or not
// at all. The apiserver refuses a CRD whose schema is not structural: every node has a `type`,
// maps use `additionalProperties` (never `patternProperties`), unions only in the int-or-string
// form, and no `$ref`. Raw Type.Enum / Type.Record / Type.Ref are lint errors in src/api for that.
import Type from 'typebox';
import type { TInteger, TNumberOptions, TObjectOptions, TSchemaOptions, TStringOptions, TUnion, TUnsafe, TString } from 'typebox';
import { QUANTITY_PATTERN } from './quantity.ts';

/** A string limited to `values`: emits `type: string` next to `enum`, as structural schemas require. */
export function StringEnum<const V extends readonly [string, ...string[]]>(values: V, options: TSchemaOptions = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, type: 'string', enum: [...values] });
}

export type StringMapOptions = TObjectOptions & { readonly values?: TStringOptions };

/** A map of string to string (labels, GUCs, env): `additionalProperties`, never `patternProperties`. */
export function StringMap(options: StringMapOptions = {}): TUnsafe<Record<string, string>> {
  const { values = {}, ...objectOptions } = options;
  return Type.Unsafe<Record<string, string>>({ ...objectOptions, type: 'object', additionalProperties: { ...values, type: 'string' } });
}

/** An integer or a string, the way Kubernetes writes it (`x-kubernetes-int-or-string`, no `type`). */
export function IntOrString(options: TSchemaOptions = {}): TUnion<[TInteger, TString]> {
  return Type.Union([Type.Integer(), Type.String()], { ...options, 'x-kubernetes-int-or-string': true });
}

/**
 * A resource quantity. openGauss-operator 2.0 users write `cpu: '2'` and `memory: 3G`, and YAML turns an
 * unquoted `cpu: 2` into a number: accept both, as Kubernetes' own quantities do. The pattern applies
 * to the string form only and `minimum` to the integer form (JSON Schema semantics, in TypeBox and in
 * the apiserver alike): no negative quantity in either form.
 */
export function Quantity(options: TSchemaOptions = {}): TUnion<[TInteger, TString]> {
  return IntOrString({ maxLength: 64, ...options, minimum: 0, pattern: QUANTITY_PATTERN });
}

/** An object whose content the apiserver keeps as is (no pruning, no validation below it). */
export function PreserveUnknown(options: TObjectOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ ...options, type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
}

/** A Go int32 on the wire: kubectl explain and generated clients read the format. */
export function Int32(options: TNumberOptions = {}): TInteger {
  return Type.Integer({ ...options, format: 'int32' });
}

/** A Go int64 on the wire. */
export function Int64(options: TNumberOptions = {}): TInteger {
  return Type.Integer({ ...options, format: 'int64' });
}
