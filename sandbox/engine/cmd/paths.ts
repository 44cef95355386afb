// Where the engine and PostgreSQL live. Every data path comes from flags or env (PGDATA, PGHOST,
// GAUSSLOG); only the engine's own files and PostgreSQL's binaries are located here.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const engineDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const engineBinDir = join(engineDir, 'bin');

export function pgBin(tool: string): string {
  return join(process.env['OG_PG_BINDIR'] ?? '/usr/lib/postgresql/15/bin', tool);
}

export function podIp(): string | undefined {
  return process.env['POD_IP'] || process.env['MY_POD_IP'] || undefined;
}
