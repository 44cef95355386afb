// gaussdb in the foreground (opengauss.md §9.2): prepares the data directory for the -M role and prints
// a shell snippet the bin/gaussdb shim evaluates to exec PostgreSQL in its own process, so signals and
// the container log go straight to the server.
import { join, resolve } from 'node:path';
import { isPgGuc } from '../core/guc-catalog.ts';
import { parseServerMode, type ServerMode } from '../core/server-mode.ts';
import { writeLogFilePath } from './datadir.ts';
import { pgBin } from './paths.ts';
import { refuseRoot } from './root-refusal.ts';
import { prepareServer, startAfterStartHelper } from './server.ts';

type GaussdbArgs = { dataDir?: string; mode: ServerMode; passThrough: string[] };

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

// -c name=value of an openGauss-only parameter becomes og.name for PostgreSQL.
function translateSetting(setting: string): string {
  const eq = setting.indexOf('=');
  const name = eq < 0 ? setting : setting.slice(0, eq);
  return isPgGuc(name) ? setting : `og.${setting}`;
}

function parse(argv: readonly string[]): GaussdbArgs | string {
  const out: GaussdbArgs = { mode: 'normal', passThrough: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (arg === '-D' && next !== undefined) { out.dataDir = next; i += 1; }
    else if (arg === '-M' && next !== undefined) {
      const mode = parseServerMode(next);
      if (!mode) return 'the options of -M is not recognized';
      out.mode = mode;
      i += 1;
    } else if (arg === '-c' && next !== undefined) { out.passThrough.push('-c', translateSetting(next)); i += 1; }
    else if (arg.startsWith('--') && arg.includes('=') && !isPgGuc(arg.slice(2, arg.indexOf('=')))) out.passThrough.push('-c', translateSetting(arg.slice(2)));
    else if (arg === '--single_node' || arg === '-Z') { if (arg === '-Z') i += 1; }
    else out.passThrough.push(arg);
  }
  return out;
}

export function gaussdbMain(argv: readonly string[]): number {
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`printf '%s\\n' 'gaussdb (openGauss 5.0.2 on PostgreSQL 15 sandbox engine)'; exit 0\n`);
    return 0;
  }
  if (refuseRoot('gaussdb')) return 1;
  const args = parse(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 1;
  }
  const dir = args.dataDir ?? process.env['PGDATA'];
  if (!dir) {
    process.stderr.write('gaussdb does not know where to find the server configuration file.\nYou must specify the -D invocation option or set the PGDATA environment variable.\n');
    return 2;
  }
  const dataDir = resolve(dir);
  const prepared = prepareServer(dataDir, args.mode, args.passThrough);
  startAfterStartHelper(dataDir, prepared.config, prepared.promoteAfterStart);
  const logPath = join(dataDir, 'og_server.log');
  writeLogFilePath(dataDir, logPath);
  const envWords = Object.entries(prepared.env).filter(([k]) => k === 'LD_PRELOAD' || k === 'POD_IP').map(([k, v]) => `${k}=${v ?? ''}`);
  const words = ['env', ...envWords, pgBin('postgres'), ...prepared.args];
  process.stdout.write(`OG_LOG=${shellQuote(logPath)}\nset -- ${words.map(shellQuote).join(' ')}\n`);
  return 0;
}
