// The shape of an admission rule: one CEL expression for the apiserver and its TypeScript twin for
// the in-process validator, side by side so they cannot drift apart unnoticed (the admission cases
// in fixtures/ run against both). Rules are attached to the schema node at `at`, the way CEL
// `x-kubernetes-validations` work: `self` is the value there, `oldSelf` the stored one.

/**
 * Kubernetes' CEL reasons: they pick the error type the apiserver reports. FieldValueDuplicate is
 * left out on purpose: the apiserver prints it as a bare "Duplicate value", dropping our message.
 */
export const RuleReason = {
  Invalid: 'FieldValueInvalid',
  Required: 'FieldValueRequired',
  Forbidden: 'FieldValueForbidden',
} as const;
export type RuleReason = (typeof RuleReason)[keyof typeof RuleReason];

/**
 * How a rule sees the stored object. `none`: a plain rule. `transition`: uses `oldSelf`; the
 * apiserver runs it only on updates where the old value exists. `creation`: `optionalOldSelf`, so it
 * also runs on create with `oldSelf` empty (used to tell create from update).
 */
export type OldSelfMode = 'none' | 'transition' | 'creation';

export type AdmissionRule = {
  /** Stable kebab-case id; tests and docs/api.md refer to rules by it. */
  readonly id: string;
  /** JSON pointer from the object root to the schema node holding the rule; `*` is every array item. */
  readonly at: string;
  /** JSON pointer below `at` that the error names (CEL `fieldPath`), when not `at` itself. */
  readonly field?: string;
  readonly cel: string;
  readonly message: string;
  readonly reason: RuleReason;
  readonly oldSelf: OldSelfMode;
  /** The TypeScript twin of `cel`; `old` is undefined only for `creation` rules on create. */
  readonly holds: (self: unknown, old: unknown) => boolean;
};

type RuleText = {
  readonly id: string;
  readonly at: string;
  readonly field?: string;
  readonly cel: string;
  readonly message: string;
  readonly reason?: RuleReason;
};

// The schema has already checked the shape at `at` (the apiserver, like validate.ts, skips CEL when a
// value has the wrong JSON type), so each twin may assume the TypeScript type of its node.
export function rule<S>(text: RuleText, holds: (self: S) => boolean): AdmissionRule {
  return { reason: RuleReason.Invalid, ...text, oldSelf: 'none', holds: (self) => holds(self as S) };
}

export function transitionRule<S>(text: RuleText, holds: (self: S, old: S) => boolean): AdmissionRule {
  return { reason: RuleReason.Forbidden, ...text, oldSelf: 'transition', holds: (self, old) => holds(self as S, old as S) };
}

export function creationRule<S>(text: RuleText, holds: (self: S, old: S | undefined) => boolean): AdmissionRule {
  return { reason: RuleReason.Required, ...text, oldSelf: 'creation', holds: (self, old) => holds(self as S, old as S | undefined) };
}

/** The CRD form of a rule (`x-kubernetes-validations` item). */
export type CelValidation = {
  readonly rule: string;
  readonly message: string;
  readonly reason: RuleReason;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
};

export function toCelValidation(r: AdmissionRule): CelValidation {
  return {
    rule: r.cel,
    message: r.message,
    reason: r.reason,
    ...(r.field === undefined ? {} : { fieldPath: r.field.replaceAll('/', '.') }),
    ...(r.oldSelf === 'creation' ? { optionalOldSelf: true } : {}),
  };
}
