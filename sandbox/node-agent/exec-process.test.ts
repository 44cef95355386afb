import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitStatusOf } from './exec-process.ts';

describe('exec exit status', () => {
  it('reports the exit code, or 128 + the signal number as a container runtime does', () => {
    assert.equal(exitStatusOf(0, null), 0);
    assert.equal(exitStatusOf(3, null), 3);
    assert.equal(exitStatusOf(null, 'SIGTERM'), 143);
    assert.equal(exitStatusOf(null, 'SIGKILL'), 137);
    assert.equal(exitStatusOf(null, 'SIGINT'), 130);
  });
});
