import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Value from 'typebox/value';
import { Int32, IntOrString, PreserveUnknown, Quantity, StringEnum, StringMap } from './schema-helpers.ts';

const json = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as unknown;

describe('schema helpers', () => {
  it('StringEnum emits type string next to enum, and validates membership', () => {
    const schema = StringEnum(['primary', 'standby'], { description: 'd' });
    assert.deepEqual(json(schema), { description: 'd', type: 'string', enum: ['primary', 'standby'] });
    assert.ok(Value.Check(schema, 'standby'));
    assert.ok(!Value.Check(schema, 'master'));
  });

  it('StringMap emits additionalProperties with string values, bounded when asked', () => {
    const schema = StringMap({ maxProperties: 2, values: { maxLength: 3 } });
    assert.deepEqual(json(schema), { maxProperties: 2, type: 'object', additionalProperties: { maxLength: 3, type: 'string' } });
    assert.ok(Value.Check(schema, { a: 'x' }));
    assert.ok(!Value.Check(schema, { a: 1 }));
    assert.ok(!Value.Check(schema, { a: 'long' }));
  });

  it('IntOrString emits the only anyOf form a structural schema allows', () => {
    assert.deepEqual(json(IntOrString()), { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
  });

  it('Quantity accepts a quantity string or a bare integer, and checks the pattern on strings only', () => {
    const schema = Quantity();
    for (const ok of ['2', '3G', '10Gi', '500m', 2]) assert.ok(Value.Check(schema, ok), String(ok));
    for (const bad of ['two', '10 Gi', '-1', -1, 1.5, true]) assert.ok(!Value.Check(schema, bad), String(bad));
  });

  it('PreserveUnknown is an object that keeps any content', () => {
    assert.deepEqual(json(PreserveUnknown()), { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.ok(Value.Check(PreserveUnknown(), { anything: [1, { deep: true }] }));
  });

  it('Int32 carries the wire format', () => {
    assert.deepEqual(json(Int32({ minimum: 1 })), { minimum: 1, format: 'int32', type: 'integer' });
  });
});
