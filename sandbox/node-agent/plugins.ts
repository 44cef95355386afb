// Loads the modules other engineers own when they exist, each behind the seam in ports.ts:
//   sandbox/network/node-plugin.ts  export createNetworkPlugin(ctx: PluginContext): Promise<NetworkPort>
//   sandbox/storage/node-plugin.ts  export createStoragePlugin(ctx: PluginContext): Promise<StoragePort>
//   sandbox/engine/images.ts        export imageContractFor(image: string): ImageContract | undefined
// A missing file means "not built yet" (defaults apply); a broken one is logged and skipped.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ImageContract } from '../engine/images.ts';
import { adaptEngineContract } from './engine-images.ts';
import type { ImageResolver } from './image-spec.ts';
import type { Logger } from './log.ts';
import { noNetwork, plainStorage, type NetworkPort, type PluginContext, type StoragePort } from './ports.ts';

const sandboxDir = fileURLToPath(new URL('..', import.meta.url));

async function loadExport(relative: string, name: string, log: Logger): Promise<unknown> {
  const path = `${sandboxDir}${relative}`;
  if (!existsSync(path)) return undefined;
  try {
    const mod = (await import(path)) as Record<string, unknown>;
    if (typeof mod[name] !== 'function') {
      log.warn({ module: relative, export: name }, 'plugin module lacks the expected export; using the default');
      return undefined;
    }
    return mod[name];
  } catch (err) {
    log.error({ err, module: relative }, 'plugin module failed to load; using the default');
    return undefined;
  }
}

export async function loadNetwork(ctx: PluginContext): Promise<NetworkPort> {
  const create = (await loadExport('network/node-plugin.ts', 'createNetworkPlugin', ctx.log)) as ((c: PluginContext) => Promise<NetworkPort>) | undefined;
  if (create === undefined) return noNetwork;
  try {
    return await create(ctx);
  } catch (err) {
    ctx.log.error({ err }, 'network plugin failed to start; pods run without it');
    return noNetwork;
  }
}

export async function loadStorage(ctx: PluginContext): Promise<StoragePort> {
  const create = (await loadExport('storage/node-plugin.ts', 'createStoragePlugin', ctx.log)) as ((c: PluginContext) => Promise<StoragePort>) | undefined;
  if (create === undefined) return plainStorage;
  try {
    return await create(ctx);
  } catch (err) {
    ctx.log.error({ err }, 'storage plugin failed to start; PV paths are used as they are');
    return plainStorage;
  }
}

export async function loadEngineImages(log: Logger): Promise<ImageResolver | undefined> {
  const contractFor = (await loadExport('engine/images.ts', 'imageContractFor', log)) as ((image: string) => ImageContract | undefined) | undefined;
  if (contractFor === undefined) return undefined;
  const binDir = `${sandboxDir}engine/bin`;
  return (image) => {
    const contract = contractFor(image);
    return contract === undefined ? undefined : adaptEngineContract(image, contract, binDir);
  };
}
