// gs_tar command line (openGauss pg_basebackup.cpp, GsTar): getopt "D:F:" plus --destination. The
// usage text advertises --filename, but openGauss registers it as "fileName" without an argument, so
// only -F works there; the engine rejects both long spellings as getopt would reject --filename.
export type GsTarArgs = { readonly ok: true; readonly destination?: string; readonly file?: string } | { readonly ok: false; readonly stderr: readonly string[] };

export const gsTarHint = 'Try "gs_tar --help" for more information.';

function splitArg(arg: string): { option: string; inline: string | undefined } {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    return eq < 0 ? { option: arg, inline: undefined } : { option: arg.slice(0, eq), inline: arg.slice(eq + 1) };
  }
  return { option: arg.slice(0, 2), inline: arg.length > 2 ? arg.slice(2) : undefined };
}

export function parseGsTarArgs(argv: readonly string[]): GsTarArgs {
  const values: { D?: string; F?: string } = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') continue; // operands are ignored, as getopt leaves them
    const { option, inline } = splitArg(arg);
    const key = option === '-D' || option === '--destination' ? 'D' : option === '-F' ? 'F' : undefined;
    if (!key) {
      const complaint = arg.startsWith('--') ? `gs_tar: unrecognized option '${arg}'` : `gs_tar: invalid option -- '${arg.slice(1, 2)}'`;
      return { ok: false, stderr: [complaint, gsTarHint] };
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined) return { ok: false, stderr: [`gs_tar: option requires an argument -- '${key}'`, gsTarHint] };
    values[key] = value;
  }
  return { ok: true, ...(values.D === undefined ? {} : { destination: values.D }), ...(values.F === undefined ? {} : { file: values.F }) };
}
