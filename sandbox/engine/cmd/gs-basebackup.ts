// gs_basebackup over pg_basebackup (opengauss.md §10.3).
import { planGsBasebackup } from '../core/gs-basebackup-args.ts';
import { pgBin } from './paths.ts';
import { run } from './proc.ts';

export function gsBasebackupMain(argv: readonly string[]): number {
  const plan = planGsBasebackup(argv);
  const env: NodeJS.ProcessEnv = { ...process.env };
  env['PGHOST'] ??= '/tmp';
  if (plan.password !== undefined) env['PGPASSWORD'] = plan.password;
  const result = run(pgBin('pg_basebackup'), plan.args, { env, stdio: ['inherit', 'inherit', 'pipe'] });
  process.stderr.write(result.stderr.replace(/^pg_basebackup:/gm, 'gs_basebackup:'));
  return result.code;
}
