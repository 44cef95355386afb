import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureOperatorBuild, operatorBuildDir, operatorEntryPoint } from './operator-build.ts';
import { repoRoot } from './repo-root.ts';

describe('operator build for the sandbox image', () => {
  let fake: string;
  before(async () => {
    fake = await mkdtemp(join(tmpdir(), 'ogo-build-key-'));
    await mkdir(join(fake, 'src', 'kube', 'fixtures'), { recursive: true });
    await mkdir(join(fake, 'node_modules', 'typescript-7'), { recursive: true });
    for (const file of ['tsconfig.json', 'tsconfig.build.json', 'node_modules/typescript-7/package.json', 'src/main.ts', 'src/kube/a.ts']) await writeFile(join(fake, file), file);
  });
  after(async () => { await rm(fake, { recursive: true, force: true }); });

  it('keys a build by what it compiles: a source or compiler change moves it, a test or fixture does not', async () => {
    const first = operatorBuildDir(fake);
    await writeFile(join(fake, 'src', 'kube', 'a.test.ts'), 'test');
    await writeFile(join(fake, 'src', 'kube', 'fixtures', 'f.ts'), 'fixture');
    assert.equal(operatorBuildDir(fake), first);
    await writeFile(join(fake, 'src', 'kube', 'a.ts'), 'edited');
    const edited = operatorBuildDir(fake);
    assert.notEqual(edited, first);
    await writeFile(join(fake, 'node_modules', 'typescript-7', 'package.json'), 'another compiler');
    assert.notEqual(operatorBuildDir(fake), edited);
    assert.equal(operatorEntryPoint(fake), join(fake, 'src', 'main.ts'), 'no build yet: the sources run');
  });

  it('compiles the repository\'s operator to JavaScript that runs without type stripping', async () => {
    const dir = await ensureOperatorBuild(repoRoot);
    assert.equal(operatorEntryPoint(repoRoot), join(dir, 'main.js'));
    const probe = 'process.on("exit",()=>process.stderr.write(String(process.moduleLoadList.some((m)=>m.includes("amaro")))))';
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', `data:text/javascript,${probe}`, join(dir, 'main.js'), '--help'], (error, out, err) => {
        if (error) reject(new Error(`the built operator failed: ${err}`, { cause: error }));
        else resolve({ stdout: out, stderr: err });
      });
    });
    assert.match(stdout, /^usage: og-operator/);
    assert.equal(stderr, 'false', 'the TypeScript stripper was not loaded');
  });
});
