/* eslint-disable @typescript-eslint/require-await -- the fakes implement async ports synchronously */
// Simulated openGauss members behind the instance port. Each member is a small state machine
// driven by the commands the operator sends; the probe replays the recorded output formats of
// K8SChkRepl.sh and `gs_ctl query` (opengauss.md §2.3: the primary and streaming-standby samples,
// the pending layout), so the real parsers run on them.
import type { V1Pod } from '@kubernetes/client-node';
import { ipFromPodName } from '../../../src/api/v1/index.ts';
import { PROBE_MARK } from '../../../src/instance/commands.ts';
import type { ExecOutcome, ExecTarget, InstanceRunner } from '../../../src/instance/port.ts';
import { ErrorCodes, OperatorError } from '../../../src/errors.ts';
import type { FakeKube } from './fake-kube.ts';

export type MemberState = {
  role: 'pending' | 'primary' | 'standby' | 'building';
  configured: boolean;
  built: boolean;
  maintenance: boolean;
  buildPolls: number;
  /** The database process is gone while the container runs. */
  down: boolean;
};

const field = (name: string, value: string) => `\t${name.padEnd(30)} : ${value}`;

function haBlock(role: string, state: string, detail: string): string[] {
  return [' HA state:           ', field('local_role', role), field('static_connections', '2'), field('db_state', state), field('detail_information', detail), ''];
}

export class FakeMembers implements InstanceRunner {
  readonly members = new Map<string, MemberState>();
  readonly commands: string[] = [];
  /** Pods whose exec fails with a transport error. */
  readonly unreachable = new Set<string>();

  private readonly kube: FakeKube;
  private readonly buildPolls: number;

  constructor(kube: FakeKube, buildPolls = 2) {
    this.kube = kube;
    this.buildPolls = buildPolls;
  }

  member(pod: string): MemberState {
    let m = this.members.get(pod);
    if (m === undefined) this.members.set(pod, (m = { role: 'pending', configured: false, built: false, maintenance: true, buildPolls: 0, down: false }));
    return m;
  }

  /** The pod was deleted and recreated: the database starts pending again on the same data. */
  restartPod(pod: string): void {
    const m = this.member(pod);
    m.role = 'pending';
    m.maintenance = true;
  }

  /** The database process dies; the container stays (the entrypoint would wait before exiting). */
  crashDatabase(pod: string): void {
    this.member(pod).down = true;
  }

  private standbyNormal(m: MemberState): boolean {
    return m.role === 'standby' && m.built && !m.down;
  }

  private query(pod: string, m: MemberState): string {
    const ip = ipFromPodName(pod) ?? '';
    if (m.role === 'primary') {
      const senders = [...this.members].filter(([, s]) => this.standbyNormal(s)).flatMap(([name]) => [
        field('peer_role', 'Standby'), field('state', 'Streaming'), field('sender_sent_location', '0/3000550'),
        field('sync_state', 'Sync'), field('sync_priority', '1'), field('channel', `${ip}:5433-->${ipFromPodName(name) ?? ''}:53786`), '']);
      return [...haBlock('Primary', 'Normal', 'Normal'), ' Senders info:       ', ...(senders.length === 0 ? ['No information '] : senders), ' Receiver info:      ', 'No information '].join('\n');
    }
    if (this.standbyNormal(m)) {
      return [...haBlock('Standby', 'Normal', 'Normal'), ' Senders info:       ', 'No information ', ' Receiver info:      ', field('receiver_received_location', '0/3000550'), field('channel', `${ip}:0<--10.1.0.11:5433`), ''].join('\n');
    }
    const role = m.role === 'standby' ? 'Standby' : 'Pending';
    return [...haBlock(role, 'Need repair', m.role === 'standby' ? 'System id not matched' : 'Disconnected'), ' Senders info:       ', 'No information ', ' Receiver info:      ', 'No information '].join('\n');
  }

  private probe(pod: string): string {
    const m = this.member(pod);
    if (m.role === 'building' && ++m.buildPolls > this.buildPolls) {
      m.role = 'standby';
      m.built = true;
    }
    const building = m.role === 'building';
    const silent = building || m.down;
    const flag = (r: string) => (m.role === r && !m.down ? 1 : 0);
    const json = `{"chkprocess":${silent ? 0 : 1}, "chkconn":${silent ? 0 : 1}, "maintenance":${m.maintenance ? 1 : 0}, "pending":${flag('pending')}, "primary":${flag('primary')}, "standby":${flag('standby')}, "standalone":0, "hang":0, "chkrepl":${silent ? 0 : 1}, "buildstatus":${building ? 2 : 3}, "basebackup":0, "restore":0, "connections":2, "busy":${building ? 1 : 0}, "detailinfo":"Normal"}`;
    const ip = ipFromPodName(pod) ?? '';
    const repl = m.configured ? `replconninfo1 = 'localhost=${ip} localport=5433 localservice=5436 localheartbeatport=5437 remotehost=x remoteport=5433'` : '';
    return `${json}\n${PROBE_MARK.query}\n${silent ? '' : this.query(pod, m)}\n${PROBE_MARK.replconninfo}\n${repl}\n`;
  }

  private apply(pod: string, argv: readonly string[]): void {
    const m = this.member(pod);
    const line = argv.join(' ');
    if (argv[0] === 'gs_guc') m.configured = true;
    else if (line.includes('gs_ctl build')) {
      m.role = 'building';
      m.buildPolls = 0;
    } else if (line.includes('-M primary')) {
      m.role = 'primary';
      m.built = true;
      m.down = false;
    } else if (line.includes('-M standby')) {
      m.role = 'standby';
      m.down = false;
    }
    else if (argv[0] === 'rm') m.maintenance = false;
  }

  async run(target: ExecTarget, argv: readonly string[], _timeoutMs: number): Promise<ExecOutcome> {
    if (this.unreachable.has(target.pod)) {
      return { kind: 'failed', error: new OperatorError(ErrorCodes.EXEC_TRANSPORT, `exec in ${target.pod} failed`, { retryable: true }) };
    }
    const isProbe = argv.join(' ').includes(PROBE_MARK.query);
    if (isProbe) return { kind: 'exited', exitCode: 0, stdout: this.probe(target.pod), stderr: '', truncated: false };
    this.commands.push(`${target.pod}: ${argv[0] === 'gs_guc' ? 'gs_guc reload' : argv.join(' ').includes('build') ? 'build' : argv.join(' ').includes('-M primary') ? 'start primary' : argv.join(' ').includes('-M standby') ? 'start standby' : argv.join(' ')}`);
    this.apply(target.pod, argv);
    return { kind: 'exited', exitCode: 0, stdout: '', stderr: '', truncated: false };
  }

  /** The kubelet: pods run, with their IP; Ready follows the database process. */
  kubelet(): void {
    for (const pod of this.kube.objects<V1Pod>('Pod')) {
      const name = pod.metadata?.name ?? '';
      const m = this.member(name);
      const ready = m.role !== 'building' && !m.down;
      this.kube.put('Pod', {
        ...pod,
        status: {
          phase: 'Running', podIP: ipFromPodName(name) ?? '',
          containerStatuses: [{ name: 'og', ready, restartCount: 0, image: '', imageID: '', state: { running: {} } }],
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
        },
      });
    }
  }
}
