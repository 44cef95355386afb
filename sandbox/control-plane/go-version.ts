// Whether the Go on PATH can build the control plane (pure: build.ts runs `go version` and reads
// the wrapper modules' go.mod). Without this check an older Go shows up as a cryptic build
// failure deep in a log; with GOTOOLCHAIN=local it cannot fetch a newer toolchain either.

/** Go's own order: language version `1.26` < prerelease `1.26rc1` < release `1.26.0` < `1.26.1`. */
export type GoVersion = { readonly text: string; readonly rank: readonly [number, number, number] };

const languageVersion = -2;
const prerelease = -1;

export function parseGoVersion(text: string): GoVersion | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+)|(rc|beta)\d+)?$/.exec(text);
  if (match === null) return undefined;
  const patch = match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? prerelease : languageVersion;
  return { text, rank: [Number(match[1]), Number(match[2]), patch] };
}

/** From `go version go1.26.8 linux/amd64` (also `go1.26rc1`, and `devel go1.27-abcdef …`). */
export function parseGoVersionOutput(output: string): GoVersion | undefined {
  const match = /\bgo(\d+\.\d+(?:\.\d+|(?:rc|beta)\d+)?)/.exec(output);
  return match?.[1] === undefined ? undefined : parseGoVersion(match[1]);
}

/** From the `go 1.26.0` directive of a go.mod. */
export function parseGoModDirective(goMod: string): GoVersion | undefined {
  const match = /^go[ \t]+(\S+)[ \t]*$/m.exec(goMod);
  return match?.[1] === undefined ? undefined : parseGoVersion(match[1]);
}

export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export type GoModule = { readonly path: string; readonly goMod: string };

/**
 * The one-line complaint when the found Go is older than a module's `go` line, else undefined.
 * An output or go.mod it cannot read is no reason to refuse: the build then speaks for itself.
 */
export function goTooOldMessage(goVersionOutput: string, modules: readonly GoModule[]): string | undefined {
  const found = parseGoVersionOutput(goVersionOutput);
  if (found === undefined) return undefined;
  for (const module of modules) {
    const needed = parseGoModDirective(module.goMod);
    if (needed !== undefined && compareGoVersions(found, needed) < 0) {
      return `Go ${found.text} found on PATH, but building the control plane needs Go ${needed.text} or newer (the go line of ${module.path}): install a newer Go first on PATH`;
    }
  }
  return undefined;
}
