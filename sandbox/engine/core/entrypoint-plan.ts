// The official image's first-start decisions (opengauss.md §9.1), as data: password checks and the
// postgresql.conf / pg_hba.conf lines it writes. The I/O lives in cmd/entrypoint.ts.
import { parseServerMode, type ServerMode } from './server-mode.ts';

export type EntrypointEnv = Readonly<Record<string, string | undefined>>;

export function passwordProblem(password: string | undefined): readonly string[] | undefined {
  if (password === undefined || password === '') {
    return [
      'Error: Database is uninitialized and superuser password is not specified.',
      '       You must specify GS_PASSWORD to a non-empty value for the',
      '       superuser. For example, "-e GS_PASSWORD=password" on "docker run".',
    ];
  }
  const ok = password.length >= 8 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /[0-9]/.test(password) && /[#?!@$%^&*-]/.test(password);
  if (ok) return undefined;
  return [
    'Error: The supplied GS_PASSWORD is not meet requirements.',
    '       Please Check if the password contains uppercase, lowercase, numbers, special characters, and password length(8).',
    '       At least one uppercase, lowercase, numeric, special character.',
    '       Example: Enmo@123',
  ];
}

// The container arguments carry the role: `-M primary|standby` (Normal without -M).
export function modeFromArgs(args: readonly string[]): ServerMode {
  const at = args.indexOf('-M');
  const word = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('-M'))?.slice(2);
  return (word && parseServerMode(word)) || 'normal';
}

export function isHaMode(env: EntrypointEnv): boolean {
  return (env['REPL_CONN_INFO'] ?? '').trim() !== '';
}

// postgresql.conf lines appended on first start; REPL_CONN_INFO holds literal `replconninfoN = '…'` lines.
export function renderFirstStartConf(env: EntrypointEnv): string {
  const lines = ['password_encryption_type = 0', `port = ${env['GS_PORT'] || '5432'}`, 'wal_level = logical', 'session_timeout = 0'];
  const nodeName = env['NODE_NAME'];
  if (nodeName) lines.push(`application_name = '${nodeName}'`, `pgxc_node_name = '${nodeName}'`);
  if (isHaMode(env)) {
    lines.push("listen_addresses = '0.0.0.0'", 'most_available_sync = on', 'remote_read_mode = non_authentication');
    lines.push(...(env['REPL_CONN_INFO'] ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== ''));
  } else {
    lines.push("listen_addresses = '*'");
  }
  if (env['SYNCHRONOUS_STANDBY_NAMES']) lines.push(`synchronous_standby_names = '${env['SYNCHRONOUS_STANDBY_NAMES']}'`);
  if (env['OTHER_PG_CONF']) lines.push(...env['OTHER_PG_CONF'].split('\n').filter((l) => l.trim() !== ''));
  return `${lines.join('\n')}\n`;
}

// The official image trusts OG_SUBNET for repuser and omm; the sandbox refuses remote trust (product
// rule), so those lines use md5 and replication authenticates with the initial password.
export function renderFirstStartHba(env: EntrypointEnv): string {
  const method = env['GS_HOST_AUTH_METHOD'] || 'md5';
  const lines = [`host all all 0.0.0.0/0 ${method}`, `host replication gaussdb 0.0.0.0/0 ${method}`];
  const subnet = env['OG_SUBNET'];
  if (isHaMode(env) && subnet) lines.push(`host replication repuser ${subnet} md5`, `host all omm ${subnet} md5`);
  return `${lines.join('\n')}\n`;
}
