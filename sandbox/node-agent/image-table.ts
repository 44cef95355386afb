// The sandbox's image table (issue 4): a name decides which local program a container runs.
// `opengauss` images come from the engine module when it is present; the operator's own image
// runs the repo's operator under the pinned Node 24 (its JavaScript build, as the real image, when
// one matches the sources: sandbox/operator-build.ts); busybox- and filebeat-like sidecars get a
// host shell with sleep/tail. Everything else is an unknown image, reported as ErrImagePull.
import { join } from 'node:path';
import type { ImageLookup, ImageResolver, ImageSpec } from './image-spec.ts';

export type ImageTableOptions = {
  readonly repoRoot: string;
  /** Directory holding this agent's shims (`filebeat`, `tini`). */
  readonly shimDir: string;
  /** The engine's resolver, when `sandbox/engine/images.ts` exists. */
  readonly engine?: ImageResolver;
  /** The operator's entry point, asked at each container start; default `<repoRoot>/src/main.ts`. */
  readonly operatorEntryPoint?: () => string;
};

/** Image name without registry, tag or digest: `docker.io/library/busybox:1.36` → `busybox`. */
export function imageBaseName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSegment = withoutDigest.split('/').pop() ?? withoutDigest;
  return (lastSegment.split(':')[0] ?? lastSegment).toLowerCase();
}

function localId(image: string): string {
  return `sandbox://${image}`;
}

function operatorImage(image: string, options: ImageTableOptions): ImageSpec {
  return {
    imageId: localId(image),
    entrypoint: [join(options.repoRoot, 'node_modules', '.bin', 'node'), options.operatorEntryPoint?.() ?? join(options.repoRoot, 'src', 'main.ts')],
    cmd: [],
    env: {},
    pathPrefix: [join(options.repoRoot, 'node_modules', '.bin')],
    workingDir: options.repoRoot,
  };
}

function shellImage(image: string, options: ImageTableOptions): ImageSpec {
  return { imageId: localId(image), entrypoint: [], cmd: ['sh'], env: {}, pathPrefix: [options.shimDir] };
}

// filebeat's arguments (`-c file -e`) are accepted and ignored: the shim only stays alive, which
// is all the operator's pods need from their log shipper in the sandbox.
function filebeatImage(image: string, options: ImageTableOptions): ImageSpec {
  return { imageId: localId(image), entrypoint: ['filebeat'], cmd: ['-e'], env: {}, pathPrefix: [options.shimDir] };
}

/**
 * Every image's programs run from the repository (Node, the engine, the shims, the netshim). Each
 * container gets a private /tmp, which would hide a checkout under /tmp (as CI clones may be), so
 * the repository is then bound read-only onto itself after /tmp.
 */
export function keepRepositoryVisible(lookup: ImageLookup, repoRoot: string): ImageLookup {
  if (!lookup.ok || !(repoRoot === '/tmp' || repoRoot.startsWith('/tmp/'))) return lookup;
  return { ok: true, spec: { ...lookup.spec, binds: [...(lookup.spec.binds ?? []), { source: repoRoot, target: repoRoot }] } };
}

export function resolveImage(image: string, options: ImageTableOptions): ImageLookup {
  return keepRepositoryVisible(lookupImage(image, options), options.repoRoot);
}

function lookupImage(image: string, options: ImageTableOptions): ImageLookup {
  const name = image.toLowerCase();
  const base = imageBaseName(image);
  if (name.includes('opengauss')) {
    const spec = options.engine?.(image);
    if (spec !== undefined) return { ok: true, spec };
    return { ok: false, message: `image ${JSON.stringify(image)} needs the openGauss engine (sandbox/engine/images.ts), which is not available on this node` };
  }
  if (name.includes('og-operator')) return { ok: true, spec: operatorImage(image, options) };
  if (base.includes('filebeat')) return { ok: true, spec: filebeatImage(image, options) };
  if (base.includes('busybox') || base === 'alpine' || base === 'debian' || base === 'ubuntu') {
    return { ok: true, spec: shellImage(image, options) };
  }
  return { ok: false, message: `image ${JSON.stringify(image)} is not in the sandbox image table (opengauss, og-operator, busybox, filebeat)` };
}
