// gs_ctl command line (opengauss.md §2.1): verb and options in any order, getopt style.
import { parseServerMode, type ServerMode } from './server-mode.ts';

export const gsCtlVerbs = ['start', 'stop', 'restart', 'reload', 'status', 'query', 'querybuild', 'build', 'failover', 'switchover', 'notify'] as const;
export type GsCtlVerb = (typeof gsCtlVerbs)[number];
export type ShutdownMode = 'fast' | 'immediate' | 'smart';
export type BuildMode = 'full' | 'incremental' | 'auto' | 'standby_full';

export type GsCtlOptions = {
  verb: GsCtlVerb;
  dataDir: string | undefined;
  wait: boolean;
  timeoutSeconds: number;
  silent: boolean;
  logFile: string | undefined;
  serverOptions: string | undefined;
  serverMode: ServerMode | undefined;
  shutdownMode: ShutdownMode;
  buildMode: BuildMode;
  connector: string | undefined;
  noStart: boolean;
  term: number;
  user: string | undefined;
  password: string | undefined;
  lsn: string | undefined;
  force: boolean;
};

// `stderr` is getopt's own complaint; `prefixed` lines are gs_ctl's; both end with the --help hint.
export type GsCtlArgError = { readonly stderr?: string; readonly prefixed?: string; readonly hint: boolean };
export type GsCtlArgResult = { readonly ok: true; readonly options: GsCtlOptions } | { readonly ok: false; readonly error: GsCtlArgError };

const withValue: Record<string, string> = {
  '-D': 'D', '--pgdata': 'D', '-t': 't', '--timeout': 't', '-l': 'l', '--log': 'l', '-o': 'o', '-M': 'M', '--smode': 'M',
  '-m': 'm', '--mode': 'm', '-b': 'b', '-C': 'C', '-T': 'T', '-U': 'U', '-P': 'P', '-L': 'L', '-Z': 'Z', '-N': 'N',
};
const flags: Record<string, string> = { '-w': 'w', '-W': 'W', '-s': 's', '--silent': 's', '-q': 'q', '-f': 'f' };

function defaults(verb: GsCtlVerb): GsCtlOptions {
  return {
    verb, dataDir: undefined, wait: true, timeoutSeconds: 60, silent: false, logFile: undefined, serverOptions: undefined,
    serverMode: undefined, shutdownMode: 'fast', buildMode: 'auto', connector: undefined, noStart: false, term: 1,
    user: undefined, password: undefined, lsn: undefined, force: false,
  };
}

type Collected = { verb?: string; extra?: string; values: Map<string, string>; flags: Set<string> };

function splitOption(arg: string): { option: string; inline: string | undefined } {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    return eq < 0 ? { option: arg, inline: undefined } : { option: arg.slice(0, eq), inline: arg.slice(eq + 1) };
  }
  return arg.length > 2 && withValue[arg.slice(0, 2)] ? { option: arg.slice(0, 2), inline: arg.slice(2) } : { option: arg, inline: undefined };
}

function collect(argv: readonly string[]): Collected | GsCtlArgError {
  const out: Collected = { values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') {
      if (out.verb === undefined) out.verb = arg;
      else out.extra ??= arg;
      continue;
    }
    const { option, inline } = splitOption(arg);
    const key = withValue[option];
    if (key) {
      const value = inline ?? argv[i + 1];
      if (inline === undefined) i += 1;
      if (value === undefined) return { stderr: `gs_ctl: option requires an argument -- '${option.replace(/^-+/, '')}'`, hint: true };
      out.values.set(key, value);
    } else if (flags[option]) out.flags.add(flags[option]);
    else return { stderr: option.startsWith('--') ? `gs_ctl: unrecognized option '${option}'` : `gs_ctl: invalid option -- '${option.slice(1)}'`, hint: true };
  }
  return out;
}

function applyValues(options: GsCtlOptions, values: ReadonlyMap<string, string>): GsCtlArgError | undefined {
  for (const [key, value] of values) {
    const error = applyValue(options, key, value);
    if (error) return error;
  }
  return undefined;
}

function applyValue(options: GsCtlOptions, key: string, value: string): GsCtlArgError | undefined {
  switch (key) {
    case 'D': options.dataDir = value; return undefined;
    case 't':
      if (!/^\d+$/.test(value)) return { prefixed: ` invalid timeout value "${value}"`, hint: true };
      options.timeoutSeconds = Number(value); return undefined;
    case 'l': options.logFile = value; return undefined;
    case 'o': options.serverOptions = value; return undefined;
    case 'M': return applyMode(options, value);
    case 'm': return applyShutdownMode(options, value);
    case 'b': options.buildMode = parseBuildMode(value); return undefined;
    case 'C': options.connector = value; return undefined;
    case 'T':
      if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) return { prefixed: ` invalid term value "${value}"`, hint: true };
      options.term = Number(value); return undefined;
    case 'U': options.user = value; return undefined;
    case 'P': options.password = value; return undefined;
    case 'L': options.lsn = value; return undefined;
    default: return undefined; // -Z single_node and -N are accepted and ignored
  }
}

function applyMode(options: GsCtlOptions, value: string): GsCtlArgError | undefined {
  const mode = parseServerMode(value);
  if (!mode) return { prefixed: ' the options of -M is not recognized', hint: true };
  options.serverMode = mode;
  return undefined;
}

function applyShutdownMode(options: GsCtlOptions, value: string): GsCtlArgError | undefined {
  const modes: Record<string, ShutdownMode> = { f: 'fast', fast: 'fast', i: 'immediate', immediate: 'immediate', s: 'smart', smart: 'smart' };
  const mode = modes[value];
  if (!mode) return { prefixed: ` unrecognized shutdown mode "${value}"`, hint: true };
  options.shutdownMode = mode;
  return undefined;
}

// An unknown -b word silently becomes auto (§2.4).
export function parseBuildMode(value: string): BuildMode {
  return value === 'full' || value === 'incremental' || value === 'standby_full' ? value : 'auto';
}

export function parseGsCtlArgs(argv: readonly string[]): GsCtlArgResult {
  const collected = collect(argv);
  if (!('values' in collected)) return { ok: false, error: collected };
  if (collected.verb === undefined) return { ok: false, error: { prefixed: ' no operation specified', hint: true } };
  const verb = collected.verb as GsCtlVerb;
  if (!(gsCtlVerbs as readonly string[]).includes(verb)) {
    return { ok: false, error: { prefixed: ` unrecognized operation mode "${collected.verb}"`, hint: true } };
  }
  if (collected.extra !== undefined) {
    return { ok: false, error: { prefixed: ` too many command-line arguments (first is "${collected.extra}")`, hint: true } };
  }
  const options = defaults(verb);
  const error = applyValues(options, collected.values);
  if (error) return { ok: false, error };
  if (collected.flags.has('W')) options.wait = false;
  if (collected.flags.has('w')) options.wait = true;
  options.silent = collected.flags.has('s');
  options.noStart = collected.flags.has('q');
  options.force = collected.flags.has('f');
  return { ok: true, options };
}
