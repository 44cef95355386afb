// gs_basebackup command line, translated for pg_basebackup (opengauss.md §10.3): -W takes the password
// as a value, -x means fetch-mode WAL, and openGauss's -t (a read-write timeout) has no equivalent.
export type GsBasebackupPlan = { readonly args: readonly string[]; readonly password: string | undefined };

export function planGsBasebackup(argv: readonly string[]): GsBasebackupPlan {
  const args: string[] = [];
  let password: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '-W' || arg === '--password') { password = argv[i + 1]; i += 1; }
    else if (arg.startsWith('--password=')) password = arg.slice('--password='.length);
    else if (arg === '-x' || arg === '--xlog') args.push('-X', 'fetch');
    else if (arg === '-t' || arg === '--rw-timeout') i += 1;
    else if (arg.startsWith('--rw-timeout=')) continue;
    else args.push(arg);
  }
  return { args, password };
}
