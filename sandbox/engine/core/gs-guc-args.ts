// gs_guc command line (opengauss.md §5.1).
export type GsGucVerb = 'set' | 'reload' | 'check';
export type GucSetting = { readonly name: string; readonly rawValue: string | undefined };
export type GsGucOptions = {
  readonly verb: GsGucVerb;
  readonly dataDir: string | undefined;
  readonly settings: readonly GucSetting[];
  readonly hbaRecords: readonly string[];
};
export type GsGucArgResult = { readonly ok: true; readonly options: GsGucOptions } | { readonly ok: false; readonly lines: readonly string[] };

const hint = 'Try "gs_guc --help" for more information.';

function parseSetting(text: string): GucSetting {
  const eq = text.indexOf('=');
  if (eq < 0) return { name: text.trim(), rawValue: undefined };
  return { name: text.slice(0, eq).trim(), rawValue: text.slice(eq + 1).trim() };
}

type Mutable = { verb?: string; dataDir?: string; settings: GucSetting[]; hba: string[]; clusterWide: boolean };

function takeValue(argv: readonly string[], i: number, arg: string): { value: string | undefined; next: number } {
  if (arg.length > 2) return { value: arg.slice(2), next: i };
  return { value: argv[i + 1], next: i + 1 };
}

function collect(argv: readonly string[]): Mutable | readonly string[] {
  const out: Mutable = { settings: [], hba: [], clusterWide: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) {
      if (out.verb !== undefined) return [`gs_guc: too many command-line arguments (first is "${arg}")`, hint];
      out.verb = arg;
      continue;
    }
    const letter = arg.slice(1, 2);
    if (!['D', 'c', 'h', 'N', 'I', 'Z'].includes(letter) || arg.startsWith('--')) return [`gs_guc: invalid option -- '${arg.replace(/^-+/, '')}'`, hint];
    const { value, next } = takeValue(argv, i, arg);
    i = next;
    if (value === undefined) return [`gs_guc: option requires an argument -- '${letter}'`, hint];
    if (letter === 'D') out.dataDir = value;
    else if (letter === 'c') out.settings.push(parseSetting(value));
    else if (letter === 'h') out.hba.push(value);
    else if (letter === 'N' || letter === 'I') out.clusterWide = true;
  }
  return out;
}

export function parseGsGucArgs(argv: readonly string[]): GsGucArgResult {
  const collected = collect(argv);
  if (!('settings' in collected)) return { ok: false, lines: collected };
  const verb = collected.verb;
  if (verb !== 'set' && verb !== 'reload' && verb !== 'check') {
    return { ok: false, lines: verb === undefined ? ['gs_guc: no operation specified', hint] : [`gs_guc: unrecognized operation mode "${verb}"`, hint] };
  }
  // -N/-I need OM's static cluster configuration, which a container does not have (§5.1).
  if (collected.clusterWide) return { ok: false, lines: ['ERROR: Failed to get cluster information from static configuration file.'] };
  if (collected.settings.length === 0 && collected.hba.length === 0) {
    return { ok: false, lines: ['ERROR: the form of this command is incorrect: -c or -h parameter must be specified.', hint] };
  }
  return { ok: true, options: { verb, dataDir: collected.dataDir, settings: collected.settings, hbaRecords: collected.hba } };
}
