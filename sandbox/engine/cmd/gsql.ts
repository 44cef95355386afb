// gsql over psql (opengauss.md §7): openGauss flags translated, psql's output and exit codes kept
// (0 ok, 1 fatal, 2 connection failure, 3 script error), messages named gsql.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseGsqlArgs } from '../core/gsql-args.ts';
import { pgBin } from './paths.ts';

function firstStdinLine(): string {
  try {
    return readFileSync(0, 'utf8').split('\n')[0] ?? '';
  } catch {
    return ''; // no stdin: an empty password, which the server will refuse
  }
}

export function gsqlMain(argv: readonly string[]): number {
  const parsed = parseGsqlArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(parsed.lines.map((l) => `${l}\n`).join(''));
    return 1;
  }
  const { plan } = parsed;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // openGauss's default socket directory is /tmp (or $PGHOST); Debian's psql would look elsewhere.
  env['PGHOST'] ??= '/tmp';
  const password = plan.passwordFromStdin ? firstStdinLine() : plan.password;
  if (password !== undefined) env['PGPASSWORD'] = password;
  const interactive = process.stdin.isTTY && !plan.passwordFromStdin;
  const result = spawnSync(pgBin('psql'), [...plan.psqlArgs], {
    env, stdio: [plan.passwordFromStdin ? 'ignore' : 'inherit', 'inherit', interactive ? 'inherit' : 'pipe'], encoding: 'utf8',
  });
  if (!interactive && result.stderr) process.stderr.write(String(result.stderr).replace(/^psql:/gm, 'gsql:'));
  return result.status ?? 1;
}
