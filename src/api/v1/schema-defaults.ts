// The defaults the apiserver applies from the schema (structural defaulting), reproduced in process
// from the generated schema. An integration test checks that the apiserver's result equals
// applySchemaDefaults for the same input.
import { applyDefaults, type JsonSchema } from './json-schema.ts';
import { openGaussClusterSchema } from './openapi-schema.generated.ts';
import type { ClusterSpec, ScheduleConfig } from './spec.ts';

const specSchema: JsonSchema = openGaussClusterSchema.properties?.['spec'] ?? {};

type ScheduleDefaulted = 'processTimeout' | 'gracePeriod' | 'toleration' | 'mostavailabletimeout' | 'livenessProbePeriod' | 'readinessProbePeriod';
type SpecDefaulted = 'cpu' | 'memory' | 'storage' | 'sidecarcpu' | 'sidecarmemory' | 'sidecarstorage' | 'dbport' | 'localrole'
  | 'backuppath' | 'archivelogpath' | 'maintenance' | 'scriptconfig' | 'filebeatconfig' | 'customizedenv';

/** A spec after schema defaulting: every field with a schema default is present. */
export type DefaultedSpec = ClusterSpec & Required<Pick<ClusterSpec, SpecDefaulted>> & {
  readonly schedule: ScheduleConfig & Required<Pick<ScheduleConfig, ScheduleDefaulted>>;
};

/** Returns a copy of `spec` with the schema defaults filled in, as the apiserver stores it. */
export function applySchemaDefaults(spec: ClusterSpec): DefaultedSpec {
  // applyDefaults writes into its argument: work on a copy so callers' objects never change.
  return applyDefaults(specSchema, structuredClone(spec)) as DefaultedSpec;
}
