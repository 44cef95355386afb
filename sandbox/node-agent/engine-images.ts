// Adapts the engine's image contracts (sandbox/engine/images.ts) to the agent's ImageSpec: the
// contract's directories become private per-container directories, its bin mounts bind the
// engine's `bin/` read-only, and `omm` becomes the image's numeric uid (the host has no omm user).
import { dirname } from 'node:path';
import type { ImageContract } from '../engine/images.ts';
import type { ImageSpec } from './image-spec.ts';

export function adaptEngineContract(image: string, contract: ImageContract, engineBinDir: string): ImageSpec {
  const uidOf = (owner: 'omm' | 'root'): number => (owner === 'omm' ? contract.imageUid : 0);
  return {
    imageId: `sandbox://${image}#${contract.kind}`,
    entrypoint: contract.entrypoint,
    cmd: contract.cmd,
    // The bin shims are bind-mounted at image paths, so they learn where the engine lives from here.
    env: { ...contract.env, OG_ENGINE_HOME: dirname(engineBinDir) },
    pathPrefix: [],
    workingDir: contract.workingDir,
    ...(contract.user === 'omm' ? { user: `${String(contract.imageUid)}:${String(contract.imageUid)}` } : {}),
    directories: contract.directories.map((d) => ({ path: d.path, uid: uidOf(d.owner), mode: d.mode })),
    binds: contract.engineBinMounts.map((target) => ({ source: engineBinDir, target })),
  };
}
