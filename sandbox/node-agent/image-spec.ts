// What the agent needs to know about an image, in place of a real image's config: the process a
// container runs when the Pod does not override it, and the environment it starts with. Images
// have no root filesystem here; containers see the host's files plus their volume mounts.
// The engine module (`sandbox/engine/images.ts`) returns this shape for openGauss images.

export type ImageSpec = {
  /** Reported as `imageID` in container statuses. */
  readonly imageId: string;
  /** Docker ENTRYPOINT: replaced by `command`. */
  readonly entrypoint: readonly string[];
  /** Docker CMD: replaced by `args` (and dropped when only `command` is set). */
  readonly cmd: readonly string[];
  /** Image environment; the Pod's env wins on conflicts. */
  readonly env: Readonly<Record<string, string>>;
  /** Directories put in front of the host PATH, e.g. shims for `tini` or `filebeat`. */
  readonly pathPrefix: readonly string[];
  readonly workingDir?: string;
  /** Docker USER: a name or uid, optionally `:group`; the Pod's runAsUser/runAsGroup win. */
  readonly user?: string;
  /**
   * The image's own directories: private to each container (an image layer stands in for the
   * rootfs), created under the Pod's directory and bound at `path`; volumes mount over them.
   */
  readonly directories?: readonly { readonly path: string; readonly uid: number; readonly mode: number }[];
  /** Host directories the image brings (e.g. the engine's bin), bound read-only at `target`. */
  readonly binds?: readonly { readonly source: string; readonly target: string }[];
};

export type ImageLookup =
  | { readonly ok: true; readonly spec: ImageSpec }
  | { readonly ok: false; readonly message: string };

/** An image source the agent consults, first match wins (the engine plugs in one). */
export type ImageResolver = (image: string) => ImageSpec | undefined;
