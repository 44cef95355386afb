// L0: the type checker and the linter over the whole tree, as part of `npm test`, so CI fails
// on a type error or a broken layering rule like on a failing test. Both run the package.json
// scripts' own arguments, so `npm run typecheck` and `npm run lint` check exactly what CI checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../sandbox/repo-root.ts';

const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The arguments of an npm script that starts with `command`, failing when it starts with something else. */
function scriptArguments(name: string, command: string): string[] {
  const [first, ...rest] = (scripts[name] ?? '').split(' ');
  assert.equal(first, command, `npm run ${name} should start with ${command}: ${scripts[name]}`);
  return rest;
}

function run(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), output: `${stdout}${stderr}` });
    });
  });
}

describe('static checks', () => {
  it('type-checks the whole tree with TypeScript 7 (npm run typecheck)', async () => {
    const args = scriptArguments('typecheck', 'node');
    assert.equal(args[0], 'node_modules/typescript-7/bin/tsc');
    const { code, output } = await run(args);
    assert.equal(code, 0, output);
  });

  it('passes the linter with no warning allowed, including the pure-core layering rules (npm run lint)', async () => {
    const args = scriptArguments('lint', 'eslint');
    assert.deepEqual(args, ['.', '--max-warnings', '0']);
    const { code, output } = await run([join(repoRoot, 'node_modules/eslint/bin/eslint.js'), ...args]);
    assert.equal(code, 0, output);
  });
});
