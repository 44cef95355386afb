import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, OperatorError, isOperatorError } from './errors.ts';

describe('error catalogue', () => {
  it('documents every code in docs/errors.md', async () => {
    const doc = await readFile(join(import.meta.dirname, '..', 'docs', 'errors.md'), 'utf8');
    for (const code of Object.values(ErrorCodes)) assert.ok(doc.includes(`\`${code}\``), `${code} is missing from docs/errors.md`);
  });

  it('keeps the code, the retry flag and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new OperatorError(ErrorCodes.KUBE_API, 'listing pods failed: 503 ServiceUnavailable', { retryable: true, cause });
    assert.equal(error.code, 'OGO_ERR_KUBE_API');
    assert.equal(error.retryable, true);
    assert.equal(error.cause, cause);
    assert.ok(isOperatorError(error, ErrorCodes.KUBE_API));
    assert.ok(!isOperatorError(error, ErrorCodes.SPEC_INVALID));
  });

  it('recognises an error built by another copy of the module (the brand is global)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('og-operator.OperatorError')]: true, code: 'OGO_ERR_SPEC_INVALID' });
    assert.ok(foreign instanceof OperatorError);
    assert.ok(!(new Error('plain') instanceof OperatorError));
  });
});
