// The defaults the apiserver applies from the schema (structural defaulting), reproduced in process.
// An integration test checks that the apiserver's result equals applySchemaDefaults for the same input.
import Value from 'typebox/value';
import { ClusterSpec, type ScheduleConfig } from './spec.ts';

type ScheduleDefaulted = 'processTimeout' | 'gracePeriod' | 'toleration' | 'mostavailabletimeout' | 'livenessProbePeriod' | 'readinessProbePeriod';
type SpecDefaulted = 'cpu' | 'memory' | 'storage' | 'sidecarcpu' | 'sidecarmemory' | 'sidecarstorage' | 'dbport' | 'localrole'
  | 'backuppath' | 'archivelogpath' | 'maintenance' | 'scriptconfig' | 'filebeatconfig' | 'customizedenv';

/** A spec after schema defaulting: every field with a schema default is present. */
export type DefaultedSpec = ClusterSpec & Required<Pick<ClusterSpec, SpecDefaulted>> & {
  readonly schedule: ScheduleConfig & Required<Pick<ScheduleConfig, ScheduleDefaulted>>;
};

/** Returns a copy of `spec` with the schema defaults filled in, as the apiserver stores it. */
export function applySchemaDefaults(spec: ClusterSpec): DefaultedSpec {
  // Value.Default writes into its argument: work on a copy so callers' objects never change.
  return Value.Default(ClusterSpec, Value.Clone(spec)) as DefaultedSpec;
}
