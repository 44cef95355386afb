// gs_ctl, gaussdb and gs_initdb refuse root as openGauss (and PostgreSQL) do; the official image's
// entrypoint is the one that starts as root and drops to omm (docs/sandbox-engine.md).
import { writeSync } from 'node:fs';
import { isRoot } from './proc.ts';

export function refuseRoot(tool: string): boolean {
  if (!isRoot()) return false;
  writeSync(2, `${tool}: cannot be run as root\nPlease log in (using, e.g., "su") as the (unprivileged) user that will\nown the server process.\n`);
  return true;
}
