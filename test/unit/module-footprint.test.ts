// What the operator process loads, checked on the real composition root: `src/main.ts --help`
// evaluates every static import. The budget is 100 MiB RSS with 10 clusters; client-node's
// generated code (dist/gen, ≈ 85 MiB), undici (npm, ≈ 20 MiB in use) and Node's bundled undici
// (4–13 MiB) would each break it, and TypeBox (≈ 680 modules, ≈ 11 MiB) takes a tenth of it. The lint rule in eslint.config.js catches the imports we write;
// this catches them however they arrive (a dependency, a re-export, a lazy getter).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../sandbox/repo-root.ts';

type Loaded = { urls: string[]; internals: string[] };

async function loadedBy(args: readonly string[]): Promise<Loaded> {
  const dir = await mkdtemp(join(tmpdir(), 'ogo-footprint-'));
  const file = join(dir, 'loaded.json');
  try {
    await new Promise<void>((resolve, reject) => {
      const hook = join(repoRoot, 'test', 'support', 'record-loaded-modules.ts');
      execFile(process.execPath, ['--import', hook, ...args], { cwd: repoRoot, env: { ...process.env, OGO_LOADED_MODULES_FILE: file } }, (error) => {
        if (error) reject(new Error(`${args.join(' ')} failed`, { cause: error }));
        else resolve();
      });
    });
    return JSON.parse(await readFile(file, 'utf8')) as Loaded;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('module footprint of the operator process', () => {
  it('loads no generated client-node code, no undici, no TypeBox and no YAML parser (that one only for a kubeconfig)', async () => {
    const { urls, internals } = await loadedBy([join(repoRoot, 'src', 'main.ts'), '--help']);
    const clientNode = urls.filter((u) => u.includes('/node_modules/@kubernetes/client-node/'));
    assert.ok(clientNode.some((u) => u.endsWith('/dist/exec.js')), 'sanity: the hook saw client-node\'s exec module');
    assert.deepEqual(clientNode.filter((u) => u.includes('/dist/gen/') && !u.includes('/dist/gen/http/')), []);
    assert.deepEqual(urls.filter((u) => u.includes('/node_modules/undici/')), []);
    assert.deepEqual(internals.filter((m) => m.includes('internal/deps/undici')), [], 'an ESM import of node:http loads Node\'s bundled undici');
    assert.deepEqual(urls.filter((u) => u.includes('/node_modules/yaml/')), []);
    assert.deepEqual(urls.filter((u) => u.includes('/node_modules/typebox/')), [], 'the operator validates with json-schema.ts and the generated schema');
  });
});
