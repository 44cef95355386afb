// gs_ctl entry point: parse, resolve the data directory, run the verb, exit with openGauss's codes.
import { resolve } from 'node:path';
import { parseGsCtlArgs, type GsCtlVerb } from '../core/gs-ctl-args.ts';
import type { GsCtlContext } from './gs-ctl-context.ts';
import { gsCtlBuild } from './gs-ctl-build.ts';
import { gsCtlFailover, gsCtlNotify, gsCtlSwitchover } from './gs-ctl-ha.ts';
import { gsCtlReload, gsCtlRestart, gsCtlStart, gsCtlStatus, gsCtlStop } from './gs-ctl-lifecycle.ts';
import { gsCtlQuery, gsCtlQueryBuild } from './gs-ctl-query.ts';
import { refuseRoot } from './root-refusal.ts';
import { createToolLog } from './tool-log.ts';

const verbs: Record<GsCtlVerb, (ctx: GsCtlContext) => number> = {
  start: gsCtlStart, stop: gsCtlStop, restart: gsCtlRestart, reload: gsCtlReload, status: gsCtlStatus,
  query: gsCtlQuery, querybuild: gsCtlQueryBuild, build: gsCtlBuild, failover: gsCtlFailover,
  switchover: gsCtlSwitchover, notify: gsCtlNotify,
};

const hint = 'Try "gs_ctl --help" for more information.';

export function gsCtlMain(argv: readonly string[]): number {
  if (argv[0] === '--help' || argv[0] === '-?') return printHelp();
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write('gs_ctl (openGauss 5.0.2 on PostgreSQL 15 sandbox engine)\n');
    return 0;
  }
  if (refuseRoot('gs_ctl')) return 1;
  const parsed = parseGsCtlArgs(argv);
  const log = createToolLog('gs_ctl', parsed.ok && parsed.options.silent);
  if (!parsed.ok) {
    if (parsed.error.stderr) process.stderr.write(`${parsed.error.stderr}\n`);
    if (parsed.error.prefixed) log.info(parsed.error.prefixed);
    if (parsed.error.hint) log.raw(hint);
    return 1;
  }
  const dataDir = parsed.options.dataDir ?? process.env['PGDATA'];
  if (!dataDir) {
    log.info(' no database directory specified and environment variable PGDATA unset');
    log.raw(hint);
    return 1;
  }
  return verbs[parsed.options.verb]({ options: parsed.options, dataDir: resolve(dataDir), log });
}

function printHelp(): number {
  process.stdout.write(`gs_ctl is a utility to initialize, start, stop, or control a openGauss server.

Usage:
  gs_ctl start   [-w] [-t SECS] [-D DATADIR] [-s] [-l FILENAME] [-o "OPTIONS"] [-M SERVERMODE]
  gs_ctl stop    [-W] [-t SECS] [-D DATADIR] [-s] [-m SHUTDOWN-MODE]
  gs_ctl restart [-w] [-t SECS] [-D DATADIR] [-s] [-m SHUTDOWN-MODE] [-o "OPTIONS"] [-M SERVERMODE]
  gs_ctl reload  [-D DATADIR] [-s]
  gs_ctl status  [-D DATADIR]
  gs_ctl query   [-D DATADIR] [-U USERNAME] [-P PASSWORD] [-L lsn]
  gs_ctl querybuild [-D DATADIR]
  gs_ctl build   [-D DATADIR] [-b MODE] [-C CONNECTOR] [-q] [-M SERVERMODE] [-T TERM]
  gs_ctl failover   [-W] [-t SECS] [-D DATADIR] [-T TERM]
  gs_ctl switchover [-W] [-t SECS] [-D DATADIR] [-m SWITCHOVER-MODE] [-T TERM] [-f]
  gs_ctl notify -M SERVERMODE [-D DATADIR] [-T TERM]

Shutdown modes are: fast, immediate.
Server modes are: primary, standby, cascade_standby, pending.
Build modes are: full, incremental, auto, standby_full.
`);
  return 0;
}
