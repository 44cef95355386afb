// Parses `npm run sandbox -- <command> [flags]` (pure). Unknown commands and flags are usage
// errors with one line saying what is accepted.
import { parseArgs } from 'node:util';
import { HarnessError, HarnessErrorCodes } from './harness-error.ts';

export type UpOptions = { readonly nodes: number; readonly operator: boolean; readonly sample: boolean; readonly detach: boolean };
export type SandboxCommand =
  | { readonly kind: 'up'; readonly options: UpOptions }
  | { readonly kind: 'down'; readonly purge: boolean }
  | { readonly kind: 'status' }
  | { readonly kind: 'node'; readonly action: 'stop' | 'start'; readonly node: string }
  | { readonly kind: 'kill'; readonly namespace: string; readonly pod: string; readonly container?: string }
  | { readonly kind: 'partition'; readonly action: 'isolate' | 'heal'; readonly namespace: string; readonly pod: string }
  | { readonly kind: 'help' };

export const usage = `usage: npm run sandbox -- [up] [--nodes N] [--no-operator] [--no-sample] [--detach]
       npm run sandbox -- down [--purge]
       npm run sandbox -- status
       npm run sandbox -- node stop|start <node>          (stop = node crash)
       npm run sandbox -- kill [<namespace>/]<pod> [container]
       npm run sandbox -- isolate|heal [<namespace>/]<pod>`;

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

/** `ns/pod` or `pod` (namespace `default`). */
function podRef(text: string | undefined): { namespace: string; pod: string } {
  if (text === undefined || text === '') return fail('a pod name is required');
  const [namespace, pod, extra] = text.split('/');
  if (extra !== undefined || (pod !== undefined && (namespace === '' || pod === ''))) return fail(`not a pod reference: ${text}`);
  return pod === undefined ? { namespace: 'default', pod: namespace ?? '' } : { namespace: namespace ?? '', pod };
}

function parseNode(args: readonly string[]): SandboxCommand {
  const [action, node, ...extra] = args;
  if ((action !== 'stop' && action !== 'start') || node === undefined || extra.length > 0) return fail('node takes stop|start and a node name');
  return { kind: 'node', action, node };
}

function parseKill(args: readonly string[]): SandboxCommand {
  const [pod, container, ...extra] = args;
  if (extra.length > 0) fail('kill takes a pod and at most one container');
  return { kind: 'kill', ...podRef(pod), ...(container === undefined ? {} : { container }) };
}

function parsePartition(action: 'isolate' | 'heal', args: readonly string[]): SandboxCommand {
  if (args.length !== 1) fail(`${action} takes one pod`);
  return { kind: 'partition', action, ...podRef(args[0]) };
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
      case 'node': return parseNode(rest);
      case 'kill': return parseKill(rest);
      case 'isolate': case 'heal': return parsePartition(first, rest);
      case 'help': case '-h': return { kind: 'help' };
      default: return fail(`unknown command: ${first}`);
    }
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    return fail((error as Error).message);
  }
}
