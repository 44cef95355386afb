// Fault injection `isolate|heal <pod>` in loopback mode (reference §3.9): packets from or to a
// Pod's IP are dropped, except the Pod's traffic to itself. With the netshim, a Pod's own
// "localhost" traffic runs POD_IP → POD_IP (see netshim.c), so it keeps working. Needs root and
// the `nft` tool (Debian package nftables).
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { runCommand } from '../control-plane/run-command.ts';
import { HarnessError, HarnessErrorCodes } from '../harness-error.ts';
import {
  checkPartitionAddress, checkTableName, DEFAULT_PARTITION_TABLE, parseSetElements, renderEnsureTable, renderHeal, renderIsolate, type Pair,
} from './partition-rules.ts';

export type PartitionerOptions = {
  /** nftables table (family inet) owned by the sandbox; tests pass their own. Default `og_sandbox`. */
  readonly table?: string;
};

export type IsolateOptions = {
  /** Peers whose traffic with the Pod keeps flowing (e.g. the node IP, so the agent's probes still answer). */
  readonly allow?: readonly string[];
};

export type Partitioner = {
  isolate(podIp: string, options?: IsolateOptions): Promise<void>;
  heal(podIp: string): Promise<void>;
  listIsolated(): Promise<string[]>;
  /** Teardown: removes the whole table (and with it every partition). */
  deleteTable(): Promise<void>;
};

/** The table of one sandbox, named after its state directory so two sandboxes never share rules. */
export function sandboxPartitionTable(stateDir: string): string {
  return `og_sbx_${createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 8)}`;
}

export function createPartitioner(options: PartitionerOptions = {}): Partitioner {
  const table = options.table ?? DEFAULT_PARTITION_TABLE;
  const badTable = checkTableName(table);
  if (badTable !== undefined) throw new HarnessError(HarnessErrorCodes.USAGE, badTable);

  async function listSet(name: string): Promise<Array<string | Pair>> {
    if (!(await tableExists(table))) return [];
    return parseSetElements((await nft(['-j', 'list', 'set', 'inet', table, name])).stdout);
  }
  async function pairsOf(podIp: string): Promise<Pair[]> {
    return (await listSet('open_pairs')).filter((e): e is Pair => Array.isArray(e) && (e[0] === podIp || e[1] === podIp));
  }

  return {
    async isolate(podIp, isolateOptions = {}) {
      const allow = isolateOptions.allow ?? [];
      for (const address of [podIp, ...allow]) assertAddress(address);
      await nft(['-f', '-'], renderEnsureTable(table));
      await nft(['-f', '-'], renderIsolate(table, podIp, allow, await pairsOf(podIp)));
    },
    async heal(podIp) {
      assertAddress(podIp);
      const isolated = (await listSet('isolated')).includes(podIp);
      const pairs = await pairsOf(podIp);
      if (!isolated && pairs.length === 0) return;
      await nft(['-f', '-'], renderHeal(table, isolated ? podIp : undefined, pairs));
    },
    async listIsolated() {
      return (await listSet('isolated')).filter((e): e is string => typeof e === 'string').sort();
    },
    async deleteTable() {
      if (await tableExists(table)) await nft(['delete', 'table', 'inet', table]);
    },
  };
}

function assertAddress(address: string): void {
  const problem = checkPartitionAddress(address);
  if (problem !== undefined) throw new HarnessError(HarnessErrorCodes.USAGE, problem);
}

async function tableExists(table: string): Promise<boolean> {
  const { stdout } = await nft(['list', 'tables', 'inet']);
  return stdout.split('\n').some((line) => line.trim() === `table inet ${table}`);
}

async function nft(args: readonly string[], input?: string): Promise<{ stdout: string }> {
  try {
    return await runCommand('nft', args, input === undefined ? {} : { input });
  } catch (error) {
    if (error instanceof HarnessError && error.code === HarnessErrorCodes.MISSING_TOOL) {
      throw new HarnessError(HarnessErrorCodes.MISSING_TOOL, 'nft is not installed: partitions need it (Debian package nftables, run as root)', { cause: error });
    }
    throw error;
  }
}
