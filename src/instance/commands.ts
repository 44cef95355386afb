// The command catalogue (pure): argv of every command the operator runs in a member, and the
// exit-code rule of each. Long operations (role restarts, builds) are started in the background
// with nohup and every descriptor redirected, so the exec returns at once and the pass never
// blocks (house style §3); later passes poll them through the probe.
import { buildGsGucArgv } from '../domain/member-config.ts';
import { OgPaths, ScriptKey, scriptPath } from '../specs/paths.ts';
import type { MemberCommand } from '../reconcile/types.ts';

export const PROBE_MARK = { query: '@@og-query@@', replconninfo: '@@og-replconninfo1@@' } as const;

const D = OgPaths.pgdata;
const ROLE_LOG = `${OgPaths.files}/og-role.log`;
const BUILD_LOG = `${OgPaths.files}/build.log`;

/**
 * One exec per member per probe: K8SChkRepl.sh's JSON (process, maintenance, busy, build status)
 * followed by the full `gs_ctl query` it ran (roles, LSNs, sync state of the standbys), then
 * replconninfo1 (2.0's "was a member?" test). Always exits 0: each part reports its own failure
 * in its output.
 */
export function probeArgv(): string[] {
  const script = [
    `OG_PROBE_QUERY_MARK='${PROBE_MARK.query}' bash ${scriptPath(ScriptKey.Probe)} 2>/dev/null`,
    `echo '${PROBE_MARK.replconninfo}'`,
    `grep -E '^[[:space:]]*replconninfo1[[:space:]]*=' ${D}/postgresql.conf 2>/dev/null`,
    'exit 0',
  ].join('; ');
  return ['bash', '-c', script];
}

function background(command: string, log: string): string[] {
  return ['bash', '-c', `nohup ${command} >> ${log} 2>&1 < /dev/null &`];
}

/** argv of a member command. */
export function commandArgv(command: MemberCommand): string[] {
  switch (command.op) {
    case 'configure':
      return buildGsGucArgv({ verb: 'reload', dataDir: D, settings: command.settings, hba: command.hba });
    case 'start':
      // Promotion by restart, as 2.0 (opengauss.md §2.2): restart keeps running as the new -M.
      return background(`gs_ctl restart -D ${D} -M ${command.role}`, ROLE_LOG);
    case 'build':
      // The maintenance flag stays set, so the entrypoint tolerates the stopped database; the
      // build starts the member as standby when it finishes (opengauss.md §2.4).
      return background(`bash -c 'gs_ctl stop -D ${D} -m fast; gs_ctl build -D ${D} -b full'`, BUILD_LOG);
    case 'clearMaintenance':
      return ['rm', '-f', OgPaths.maintenanceFlag];
  }
}

/** Short name for metrics and logs. */
export function commandName(command: MemberCommand): string {
  return command.op === 'start' ? `start-${command.role}` : command.op;
}

/** gs_guc prints its errors on stdout and exits non-zero; every command here succeeds only on 0. */
export function isSuccess(exitCode: number): boolean {
  return exitCode === 0;
}
