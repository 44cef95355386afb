// Parses `npm run sandbox -- <command> [flags]` (pure). Unknown commands and flags are usage
// errors with one line saying what is accepted.
import { parseArgs } from 'node:util';
import { HarnessError, HarnessErrorCodes } from './harness-error.ts';

export type UpOptions = { readonly nodes: number; readonly operator: boolean; readonly sample: boolean; readonly detach: boolean };
export type SandboxCommand =
  | { readonly kind: 'up'; readonly options: UpOptions }
  | { readonly kind: 'down'; readonly purge: boolean }
  | { readonly kind: 'status' }
  | { readonly kind: 'help' };

export const usage = `usage: npm run sandbox -- [up] [--nodes N] [--no-operator] [--no-sample] [--detach]
       npm run sandbox -- down [--purge]
       npm run sandbox -- status`;

const fail = (message: string): never => {
  throw new HarnessError(HarnessErrorCodes.USAGE, `${message}\n${usage}`);
};

function parseUp(args: readonly string[]): SandboxCommand {
  const { values } = parseArgs({
    args: [...args], allowPositionals: false, strict: true,
    options: { nodes: { type: 'string' }, 'no-operator': { type: 'boolean' }, 'no-sample': { type: 'boolean' }, detach: { type: 'boolean' } },
  });
  const nodes = values.nodes === undefined ? 3 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > 20) fail(`--nodes takes a whole number from 0 to 20, not ${values.nodes}`);
  return { kind: 'up', options: { nodes, operator: values['no-operator'] !== true, sample: values['no-sample'] !== true, detach: values.detach === true } };
}

export function parseSandboxArgs(argv: readonly string[]): SandboxCommand {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first.startsWith('--')) return parseUp(argv);
    switch (first) {
      case 'up': return parseUp(rest);
      case 'down': {
        const { values } = parseArgs({ args: rest, strict: true, options: { purge: { type: 'boolean' } } });
        return { kind: 'down', purge: values.purge === true };
      }
      case 'status':
        if (rest.length > 0) fail(`status takes no arguments`);
        return { kind: 'status' };
      case 'help': case '-h': return { kind: 'help' };
      default: return fail(`unknown command: ${first}`);
    }
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    return fail((error as Error).message);
  }
}
