// Parser of the probe exec (commands.ts probeArgv): K8SChkRepl.sh's JSON line, gs_ctl query and
// the replconninfo1 line. Never throws: anything unreadable becomes a failed probe (data).
import { parseGsCtlQuery, type GsCtlQuery } from '../domain/gs-ctl-query.ts';
import { parseGucString } from '../domain/guc-quoting.ts';
import { replConnInfoNamesSelf } from '../domain/replication.ts';
import type { MemberProbe, ProbedRole, ProbeOutcome } from '../reconcile/types.ts';
import { PROBE_MARK } from './commands.ts';

type ProbeJson = Partial<Record<'chkprocess' | 'maintenance' | 'busy' | 'hang' | 'buildstatus' | 'primary' | 'standby' | 'pending' | 'standalone', number>> & { detailinfo?: string };

function parseJson(text: string): ProbeJson | undefined {
  const line = text.split('\n').find((l) => l.trim().startsWith('{'));
  if (line === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value) : undefined;
  } catch {
    return undefined; // a truncated line: the probe failed, reported below
  }
}

function roleFrom(json: ProbeJson, localRole: string | undefined): ProbedRole {
  if (localRole === 'Primary' || json.primary === 1) return 'primary';
  if (localRole?.endsWith('Standby') === true || json.standby === 1) return 'standby';
  if (localRole === 'Pending' || json.pending === 1) return 'pending';
  if (localRole === 'Normal' || json.standalone === 1) return 'normal';
  return 'unknown';
}

function wasMember(line: string, ip: string): boolean {
  const value = line.slice(line.indexOf('=') + 1).trim();
  const text = parseGucString(value) ?? value;
  return text !== '' && replConnInfoNamesSelf(`${text} `, ip);
}

function flags(json: ProbeJson): Pick<MemberProbe, 'process' | 'maintenance' | 'busy' | 'hang' | 'buildStatus'> {
  return { process: json.chkprocess === 1, maintenance: json.maintenance === 1, busy: json.busy === 1, hang: json.hang === 1, buildStatus: json.buildstatus ?? 3 };
}

function haFields(json: ProbeJson, query: GsCtlQuery | undefined): Pick<MemberProbe, 'role' | 'dbState' | 'detail'> {
  const ha = query?.ha;
  return { role: roleFrom(json, ha?.localRole), dbState: ha?.dbState ?? '', detail: ha?.detailInformation ?? json.detailinfo ?? '' };
}

export function parseProbe(stdout: string, ip: string): ProbeOutcome {
  const [jsonPart = '', rest = ''] = stdout.split(PROBE_MARK.query);
  const [queryPart = '', replPart = ''] = rest.split(PROBE_MARK.replconninfo);
  const json = parseJson(jsonPart);
  if (json === undefined) return { ok: false, error: `probe printed no JSON: ${jsonPart.slice(0, 200)}` };
  const parsedQuery = parseGsCtlQuery(queryPart);
  const query = parsedQuery.ok ? parsedQuery.value : undefined;
  return { ok: true, value: { ...flags(json), ...haFields(json, query), wasMember: wasMember(replPart.trim(), ip), query } };
}
