// `npm run bench -- <name> [...]`: runs benchmarks and writes each one's figures as JSON to
// bench/results/<name>.json (and prints them). Benchmarks measure; tests assert behaviour.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { repoRoot } from '../sandbox/repo-root.ts';

type Benchmark = { readonly describe: string; readonly run: (args: readonly string[]) => Promise<Record<string, unknown>> };

const benchmarks: Record<string, () => Promise<Benchmark>> = {
  controlplane: async () => (await import('./controlplane.ts')).controlPlaneBenchmark,
  'controlplane-build': async () => (await import('./controlplane-build.ts')).controlPlaneBuildBenchmark,
  sandbox: async () => (await import('./sandbox.ts')).sandboxBenchmark,
  deploy: async () => (await import('./deploy.ts')).deployBenchmark,
};

function machine(): Record<string, unknown> {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const names = name === undefined ? ['controlplane'] : [name];
  for (const n of names) {
    const load = benchmarks[n];
    if (load === undefined) {
      process.stderr.write(`bench: unknown benchmark ${n}; known: ${Object.keys(benchmarks).join(', ')}\n`);
      return 2;
    }
    const bench = await load();
    process.stdout.write(`bench ${n}: ${bench.describe}\n`);
    const figures = await bench.run(args);
    const result = { benchmark: n, at: new Date().toISOString(), machine: machine(), ...figures };
    const dir = join(repoRoot, 'bench', 'results');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${n}.json`), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
  return 0;
}

process.exitCode = await main();
