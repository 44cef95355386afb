// Entry of every engine command: bin/<tool> runs `node main.ts <tool> args…`. Each tool's modules are
// imported lazily so a call loads only what it uses (start-up time counts towards Pod readiness).
type ToolMain = (argv: readonly string[]) => number;

const tools: Record<string, () => Promise<ToolMain>> = {
  gs_ctl: async () => (await import('./cmd/gs-ctl.ts')).gsCtlMain,
  gs_guc: async () => (await import('./cmd/gs-guc.ts')).gsGucMain,
  gsql: async () => (await import('./cmd/gsql.ts')).gsqlMain,
  gs_initdb: async () => (await import('./cmd/gs-initdb.ts')).gsInitdbMain,
  gaussdb: async () => (await import('./cmd/gaussdb.ts')).gaussdbMain,
  gs_basebackup: async () => (await import('./cmd/gs-basebackup.ts')).gsBasebackupMain,
  gs_tar: async () => (await import('./cmd/gs-tar.ts')).gsTarMain,
  'entrypoint-init': async () => (await import('./cmd/entrypoint.ts')).entrypointMain,
};

const [tool = '', ...argv] = process.argv.slice(2);
const load = tools[tool];
if (!load) {
  process.stderr.write(`sandbox engine: unknown tool "${tool}"\n`);
  process.exitCode = 1;
} else {
  process.exitCode = (await load())(argv);
}
