import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GENERATED_PASSWORD_LENGTH, PASSWORD_RANDOM_BYTES, buildPassword, isStrongPassword } from './password.ts';

describe('generated passwords', () => {
  it('always satisfy 2.0\'s rule and the official image\'s special-character rule', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: PASSWORD_RANDOM_BYTES, maxLength: PASSWORD_RANDOM_BYTES }), (random) => {
      const pw = buildPassword(random);
      return pw.length === GENERATED_PASSWORD_LENGTH && isStrongPassword(pw) && /[#@%^*-]/.test(pw) && !/['"\\$!`\s]/.test(pw);
    }), { seed: 9, numRuns: 2000 });
  });

  it('depend only on the random bytes given', () => {
    const random = Uint8Array.from({ length: PASSWORD_RANDOM_BYTES }, (_, i) => (i * 37) % 256);
    assert.equal(buildPassword(random), buildPassword(random));
  });

  it('refuse too few random bytes rather than weaken the password', () => {
    assert.throws(() => buildPassword(new Uint8Array(4)), RangeError);
  });

  it('check 2.0\'s rule: 8 characters with upper, lower and a digit', () => {
    assert.equal(isStrongPassword('K8S@admin'), true);
    assert.equal(isStrongPassword('k8s@admin'), false);
    assert.equal(isStrongPassword('Short1'), false);
    assert.equal(isStrongPassword('NoDigitsHere'), false);
  });
});
