// L0: the type checker and the linter over the whole tree, as part of `npm test`, so CI fails
// on a type error or a broken layering rule like on a failing test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../sandbox/repo-root.ts';

function run(script: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, script.split(' '), { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), output: `${stdout}${stderr}` });
    });
  });
}

describe('static checks', () => {
  it('type-checks the whole tree with TypeScript 7', async () => {
    const { code, output } = await run(`${join(repoRoot, 'node_modules/typescript-7/bin/tsc')} --noEmit -p ${repoRoot}`);
    assert.equal(code, 0, output);
  });

  it('passes the linter, including the pure-core layering rules', async () => {
    const { code, output } = await run(`${join(repoRoot, 'node_modules/eslint/bin/eslint.js')} --max-warnings 0 .`);
    assert.equal(code, 0, output);
  });
});
