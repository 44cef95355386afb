// The generated module must equal what scripts/gen-assets.ts renders from assets/scripts now.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generatedPath, readAssets, renderScriptsModule } from '../../../scripts/gen-assets.ts';
import { scripts } from './scripts.ts';

describe('generated scripts module', () => {
  it('is up to date with assets/scripts (run `node scripts/gen-assets.ts` after editing a script)', () => {
    assert.equal(readFileSync(generatedPath, 'utf8'), renderScriptsModule(readAssets()));
  });

  it('holds every script under its file name', () => {
    assert.deepEqual(Object.keys(scripts), readAssets().map(([name]) => name));
  });
});
