// Builds native/bind-source.c once per user into a cache directory and returns the environment that
// makes a process's loopback connections leave from the Pod's own address. Without a compiler the
// engine still works: peers then appear as 127.0.0.1, which the generated pg_hba.conf also admits.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineDir } from './paths.ts';
import { run } from './proc.ts';

function cacheDir(): string {
  return process.env['OG_ENGINE_CACHE_DIR'] ?? join(tmpdir(), `og-engine-${process.getuid?.() ?? 0}`);
}

export function bindSourceLibrary(): string | undefined {
  const source = join(engineDir, 'native', 'bind-source.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = cacheDir();
  const target = join(dir, `bind-source-${hash}.so`);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = `${target}.${process.pid}`;
  const result = run('cc', ['-shared', '-fPIC', '-O2', '-o', partial, source, '-ldl']);
  if (result.code !== 0) return undefined;
  renameSync(partial, target); // atomic, so concurrent builders never load a half-written file
  return target;
}

// Inside a node agent Pod, the agent's netshim (sandbox/network/netshim) already binds sources to
// POD_IP; this library is for servers run without it (the engine's own tests, manual runs).
export function sourceBindingEnv(sourceIp: string | undefined): Record<string, string> {
  if (!sourceIp?.startsWith('127.') || sourceIp === '127.0.0.1') return {};
  if ((process.env['LD_PRELOAD'] ?? '').includes('netshim')) return {};
  const library = bindSourceLibrary();
  if (!library) return {};
  const preload = [process.env['LD_PRELOAD'], library].filter((v) => v).join(':');
  return { LD_PRELOAD: preload, OG_SOURCE_IP: sourceIp };
}
