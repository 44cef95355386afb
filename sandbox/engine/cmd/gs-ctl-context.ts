// What every gs_ctl verb receives.
import type { GsCtlOptions } from '../core/gs-ctl-args.ts';
import type { ToolLog } from './tool-log.ts';

export type GsCtlContext = { readonly options: GsCtlOptions; readonly dataDir: string; readonly log: ToolLog };

export function missingPidFile(ctx: GsCtlContext): number {
  ctx.log.info(` PID file "${ctx.dataDir}/postmaster.pid" does not exist.`);
  ctx.log.info('Is server running?');
  return 1;
}
