// Image contracts the node agent applies to containers whose image name contains "opengauss": the
// official openGauss image (opengauss.md §9.1) and the image openGauss-operator 2.0 ships
// (seed-operator.md §3.4). Paths are container paths; the agent creates `directories` per container,
// bind-mounts the engine's bin directory at each `engineBinMounts` path and runs as `user`.
export type ImageKind = 'official' | 'operator-2.0';

export type ContainerDirectory = { readonly path: string; readonly owner: 'omm' | 'root'; readonly mode: number };

export type ImageContract = {
  readonly kind: ImageKind;
  readonly user: 'omm' | 'root';
  readonly imageUid: number;
  readonly env: Readonly<Record<string, string>>;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workingDir: string;
  readonly directories: readonly ContainerDirectory[];
  readonly engineBinMounts: readonly string[];
};

const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const official: ImageContract = {
  kind: 'official',
  // The entrypoint starts as root and drops to omm itself (gosu in the real image).
  user: 'root',
  // The real image's omm is uid 70; the sandbox host has one `omm` (uid 580, install-prereqs.sh),
  // and PostgreSQL needs a passwd entry for its uid, so both images use it here.
  imageUid: 580,
  env: {
    GAUSSHOME: '/usr/local/opengauss',
    PGDATA: '/var/lib/opengauss/data',
    PATH: `/usr/local/opengauss/bin:${basePath}`,
    LANG: 'en_US.utf8',
  },
  entrypoint: ['entrypoint.sh'],
  cmd: ['gaussdb'],
  workingDir: '/',
  directories: [
    { path: '/usr/local/opengauss', owner: 'omm', mode: 0o755 },
    { path: '/var/lib/opengauss', owner: 'omm', mode: 0o755 },
    { path: '/var/lib/opengauss/data', owner: 'omm', mode: 0o700 },
    { path: '/docker-entrypoint-initdb.d', owner: 'root', mode: 0o755 },
    { path: '/home/omm', owner: 'omm', mode: 0o755 },
  ],
  engineBinMounts: ['/usr/local/opengauss/bin'],
};

const operator20: ImageContract = {
  kind: 'operator-2.0',
  user: 'omm',
  imageUid: 580,
  env: {
    GAUSSHOME: '/gauss/openGauss/app',
    PGDATA: '/gaussdata/openGauss/db1',
    GAUSSLOG: '/gaussarch/log/omm',
    PGHOST: '/gauss/openGauss/tmp',
    PATH: `/gauss/openGauss/app/bin:${basePath}`,
    LANG: 'en_US.UTF-8',
  },
  // The operator's pods set the command (`tini -g -- bash -c …og.entrypoint.sh`); this is a fallback.
  entrypoint: ['tini', '-g', '--'],
  cmd: ['bash'],
  workingDir: '/home/omm',
  directories: [
    { path: '/gauss/openGauss/app', owner: 'omm', mode: 0o755 },
    { path: '/gauss/openGauss/tmp', owner: 'omm', mode: 0o700 },
    { path: '/gauss/files', owner: 'omm', mode: 0o755 },
    { path: '/gaussdata/openGauss', owner: 'omm', mode: 0o700 },
    { path: '/gaussdata/backup', owner: 'omm', mode: 0o755 },
    { path: '/gaussdata/archive', owner: 'omm', mode: 0o755 },
    { path: '/gaussarch', owner: 'omm', mode: 0o755 },
    { path: '/gaussarch/log/omm', owner: 'omm', mode: 0o755 },
    { path: '/home/omm', owner: 'omm', mode: 0o755 },
  ],
  // tini lives in /usr/local/bin in that image; the engine's bin has it too.
  engineBinMounts: ['/gauss/openGauss/app/bin'],
};

export const imageContracts: Readonly<Record<ImageKind, ImageContract>> = { official, 'operator-2.0': operator20 };

// Images built for openGauss-operator: names containing "operator" or the CMBC organisation, and the
// repository `opengauss-<version>` its README deploys (`opengauss-5.0.2:latest`). Any other image
// whose name contains "opengauss" (the official `opengauss/opengauss:<version>`) follows the official
// image's conventions.
export function imageContractFor(image: string): ImageContract | undefined {
  const name = image.toLowerCase();
  if (!name.includes('opengauss')) return undefined;
  const repository = name.split('@')[0]?.replace(/:[^/]*$/, '').split('/').pop() ?? '';
  return /operator|cmbc/.test(name) || /^opengauss-\d/.test(repository) ? operator20 : official;
}
