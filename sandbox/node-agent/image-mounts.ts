// The mounts an image brings before any volume: its private directories (the outermost ones
// are bound; nested ones live inside them) and its read-only binds. Pure.
import { join, posix } from 'node:path';
import type { ImageSpec } from './image-spec.ts';
import type { MountPlan } from './volume-plan.ts';

export type ImageDirectory = { readonly hostPath: string; readonly uid: number; readonly mode: number };

const isUnder = (path: string, parent: string): boolean => path !== parent && path.startsWith(parent.endsWith('/') ? parent : `${parent}/`);

/**
 * Every container has a /tmp of its own, as its image's root filesystem would give it: on the
 * shared host /tmp, two database Pods would fight over the same socket lock files.
 */
const privateTmp = { path: '/tmp', uid: 0, mode: 0o1777 } as const;

export function planImageMounts(spec: ImageSpec, containerDir: string): { mounts: MountPlan[]; directories: ImageDirectory[] } {
  const declared = (spec.directories ?? []).map((d) => ({ ...d, path: posix.normalize(d.path) }));
  const dirs = declared.some((d) => d.path === '/tmp') ? declared : [...declared, privateTmp];
  const root = join(containerDir, 'image');
  const directories = dirs.map((d) => ({ hostPath: join(root, d.path), uid: d.uid, mode: d.mode }));
  const outermost = dirs.filter((d) => !dirs.some((other) => isUnder(d.path, other.path)));
  const mounts: MountPlan[] = [
    ...outermost.map((d) => ({ source: join(root, d.path), target: d.path, readOnly: false })),
    ...(spec.binds ?? []).map((b) => ({ source: b.source, target: posix.normalize(b.target), readOnly: true })),
  ];
  return { mounts, directories };
}

/** Image mounts first, then volumes; parents before children, image before volume on a tie. */
export function orderMounts(image: readonly MountPlan[], volumes: readonly MountPlan[]): MountPlan[] {
  return [...image, ...volumes].sort((a, b) => a.target.split('/').length - b.target.split('/').length);
}
