// The whole OpenGaussCluster object as the CRD's openAPIV3Schema describes it.
import Type from 'typebox';
import type { Static } from 'typebox';
import { celAt } from './rules.ts';
import { ClusterSpec } from './spec.ts';
import { ClusterStatus } from './status.ts';

// Declared only so that CEL rules can name metadata.name in their fieldPath; its length limits are
// create-only rules (rules.ts), which keeps adopted objects with longer names writable.
export const ClusterMetadata = Type.Object({
  name: Type.Optional(Type.String()),
});

export const OpenGaussCluster = Type.Object({
  apiVersion: Type.Optional(Type.String({ description: 'APIVersion defines the versioned schema of this representation of an object.' })),
  kind: Type.Optional(Type.String({ description: 'Kind is a string value representing the REST resource this object represents.' })),
  // Optional in the schema only: the apiserver always fills it, and a root `required: [metadata]`
  // is not something a CRD schema should constrain.
  metadata: Type.Optional(ClusterMetadata),
  spec: ClusterSpec,
  status: Type.Optional(ClusterStatus),
}, { description: 'An openGauss cluster: members with fixed pod IPs, read and write NodePort Services.', ...celAt('') });
export type OpenGaussCluster = Static<typeof OpenGaussCluster>;
