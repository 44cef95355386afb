// Outside node-agent Pods (the engine's own tests, manual runs) nothing gives a server its own
// source address, so the engine builds the sandbox's one LD_PRELOAD library, the node agent's
// netshim (sandbox/network/netshim/netshim.c), once per user into its cache directory and runs the
// servers and peer connections under it with POD_IP = the instance's address, exactly as in a Pod.
// Without a compiler the engine still works: peers then appear as 127.0.0.1, which the generated
// pg_hba.conf also admits.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineDir } from './paths.ts';
import { run } from './proc.ts';

function cacheDir(): string {
  return process.env['OG_ENGINE_CACHE_DIR'] ?? join(tmpdir(), `og-engine-${process.getuid?.() ?? 0}`);
}

export function netshimLibrary(): string | undefined {
  const source = join(engineDir, '..', 'network', 'netshim', 'netshim.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = cacheDir();
  const target = join(dir, `netshim-${hash}.so`);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = `${target}.${process.pid}`;
  const result = run('cc', ['-shared', '-fPIC', '-O2', '-o', partial, source, '-ldl']);
  if (result.code !== 0) return undefined;
  renameSync(partial, target); // atomic, so concurrent builders never load a half-written file
  return target;
}

// Inside a node agent Pod the netshim is already preloaded with the Pod's POD_IP: nothing to add.
export function sourceBindingEnv(sourceIp: string | undefined): Record<string, string> {
  if (!sourceIp?.startsWith('127.') || sourceIp === '127.0.0.1') return {};
  if ((process.env['LD_PRELOAD'] ?? '').includes('netshim')) return {};
  const library = netshimLibrary();
  if (!library) return {};
  const preload = [process.env['LD_PRELOAD'], library].filter((v) => v).join(':');
  return { LD_PRELOAD: preload, POD_IP: sourceIp };
}
