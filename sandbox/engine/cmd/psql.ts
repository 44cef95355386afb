// SQL through psql: one process per call, results as JSON or unaligned text.
import { pgBin } from './paths.ts';
import { run, type RunResult } from './proc.ts';

export type Connection = {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly dbname?: string;
  readonly passfile?: string;
  readonly password?: string;
  readonly timeoutSeconds?: number;
  readonly env?: Record<string, string>;
};

export function runSql(conn: Connection, sql: string): RunResult {
  const env: NodeJS.ProcessEnv = { ...process.env, ...conn.env, PGCONNECT_TIMEOUT: String(conn.timeoutSeconds ?? 5), PGAPPNAME: 'gs_ctl' };
  if (conn.passfile) env['PGPASSFILE'] = conn.passfile;
  if (conn.password !== undefined) env['PGPASSWORD'] = conn.password;
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', conn.host, '-p', String(conn.port), '-U', conn.user, '-d', conn.dbname ?? 'postgres', '-c', sql];
  return run(pgBin('psql'), args, { env, timeout: ((conn.timeoutSeconds ?? 5) + 10) * 1000 });
}

export function queryValue(conn: Connection, sql: string): string | undefined {
  const result = runSql(conn, sql);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

export function queryJson<T>(conn: Connection, sql: string): { ok: true; value: T } | { ok: false; error: string } {
  const result = runSql(conn, sql);
  if (result.code !== 0) return { ok: false, error: result.stderr.trim() || `psql exited with ${result.code}` };
  try {
    return { ok: true, value: JSON.parse(result.stdout) as T };
  } catch (error) {
    return { ok: false, error: `unreadable result: ${(error as Error).message}` };
  }
}
