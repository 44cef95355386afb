// The project promises of issue 3, checked from the files themselves: exact-pinned dependencies that
// the lockfile agrees with, Node 24 for npm scripts on machines with an older Node, the six scripts
// the README and CI call, and a .gitignore that keeps build output, caches and sandbox state out.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../sandbox/repo-root.ts';

type Dependencies = Record<string, string>;
type PackageJson = {
  readonly engines?: { readonly node?: string };
  readonly scripts?: Record<string, string>;
  readonly dependencies?: Dependencies;
  readonly devDependencies?: Dependencies;
};
type PackageLock = {
  readonly lockfileVersion?: number;
  readonly packages?: Record<string, { readonly version?: string; readonly dependencies?: Dependencies; readonly devDependencies?: Dependencies }>;
};

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as T;
const manifest = readJson<PackageJson>('package.json');
const allDependencies: Dependencies = { ...manifest.dependencies, ...manifest.devDependencies };

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The exact version a specifier installs: `1.2.3`, or `npm:name@1.2.3` for an alias; undefined for a range. */
function pinnedVersion(specifier: string): string | undefined {
  const version = specifier.startsWith('npm:') ? specifier.slice(specifier.lastIndexOf('@') + 1) : specifier;
  return EXACT_VERSION.test(version) ? version : undefined;
}

/**
 * Whether .gitignore ignores the directory `dir`, for plain (glob-free) patterns as git reads them: the
 * last pattern naming a path decides (`!` re-includes), and a directory whose parent is ignored is
 * ignored whatever follows.
 */
function ignoresDirectory(gitignore: string, dir: string): boolean {
  const patterns = gitignore.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const bare = (pattern: string) => pattern.replace(/^!/, '').replace(/^\//, '').replace(/\/$/, '');
  const ignored = (path: string) => patterns.findLast((p) => bare(p) === path)?.startsWith('!') === false;
  const parts = dir.split('/');
  return parts.some((_, i) => ignored(parts.slice(0, i + 1).join('/')));
}

describe('package.json', () => {
  it('pins every dependency to an exact version, no ^ ~ * or other range', () => {
    const ranged = Object.entries(allDependencies).filter(([, specifier]) => pinnedVersion(specifier) === undefined);
    assert.deepEqual(ranged, []);
  });

  it('runs on Node >=22.19 and brings Node 24 as the node devDependency, which npm scripts run on', () => {
    assert.equal(manifest.engines?.node, '>=22.19');
    assert.match(manifest.devDependencies?.['node'] ?? '', /^24\./);
  });

  it('has the scripts the README and CI call', () => {
    for (const name of ['test', 'typecheck', 'lint', 'crds', 'bench', 'sandbox']) {
      assert.ok((manifest.scripts?.[name] ?? '') !== '', `npm run ${name} is missing`);
    }
  });
});

describe('package-lock.json', () => {
  const lock = (): PackageLock => {
    assert.ok(existsSync(join(repoRoot, 'package-lock.json')), 'package-lock.json is missing: run npm install');
    return readJson<PackageLock>('package-lock.json');
  };

  it('records the dependencies package.json declares (otherwise run npm install)', () => {
    const root = lock().packages?.[''];
    assert.deepEqual(root?.dependencies ?? {}, manifest.dependencies ?? {});
    assert.deepEqual(root?.devDependencies ?? {}, manifest.devDependencies ?? {});
  });

  it('locks each direct dependency at the version package.json pins', () => {
    const packages = lock().packages ?? {};
    const disagreeing = Object.entries(allDependencies)
      .map(([name, specifier]) => ({ name, pinned: pinnedVersion(specifier), locked: packages[`node_modules/${name}`]?.version }))
      .filter(({ pinned, locked }) => pinned !== locked);
    assert.deepEqual(disagreeing, []);
  });
});

describe('.gitignore', () => {
  const gitignore = readFileSync(join(repoRoot, '.gitignore'), 'utf8');

  it('ignores the build output, the sandbox state and the benchmark results', () => {
    for (const dir of ['dist', '.sandbox', 'bench/results']) assert.ok(ignoresDirectory(gitignore, dir), `${dir}/ is not ignored`);
  });

  it('ignores tool caches', () => {
    assert.ok(ignoresDirectory(gitignore, '.cache') || ignoresDirectory(gitignore, 'node_modules/.cache'), 'neither .cache/ nor node_modules/.cache is ignored');
  });

  it('is read the way git reads it (the check itself can fail)', () => {
    assert.ok(ignoresDirectory('node_modules/\n', 'node_modules/.cache'));
    assert.ok(ignoresDirectory('/dist\n', 'dist'));
    assert.ok(!ignoresDirectory('# dist/\ndistribution/\n', 'dist'));
    assert.ok(!ignoresDirectory('dist/\n!dist/\n', 'dist'));
    assert.ok(ignoresDirectory('bench/\n!bench/results/\n', 'bench/results'));
  });
});
