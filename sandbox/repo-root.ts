// The repository root, found from this file's location so commands work from any directory.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultStateDir = join(repoRoot, '.sandbox');
