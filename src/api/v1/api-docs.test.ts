import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConditionReason } from './conditions.ts';
import { admissionRules } from './rules.ts';
import { ClusterSpec, ScheduleConfig } from './spec.ts';
import { ClusterStates } from './states.ts';

const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
const mentions = (word: string) => doc.includes(`\`${word}\``);

describe('docs/api.md', () => {
  it('documents every spec and schedule field', () => {
    for (const field of [...Object.keys(ClusterSpec.properties), ...Object.keys(ScheduleConfig.properties)]) {
      assert.ok(mentions(field), `${field} is missing from docs/api.md`);
    }
  });

  it('documents every admission rule by id', () => {
    for (const r of admissionRules) assert.ok(mentions(r.id), `${r.id} is missing from docs/api.md`);
  });

  it('documents every state and condition reason', () => {
    for (const word of [...ClusterStates, ...Object.values(ConditionReason)]) assert.ok(mentions(word), `${word} is missing from docs/api.md`);
  });
});
