#!/bin/bash
# The official openGauss image's entrypoint (opengauss.md §9.1) for the sandbox engine. It starts as
# root, prepares the data directory and re-executes itself as omm (gosu in the real image; setpriv
# here). As omm, on first start (no PG_VERSION) it initialises the instance (GS_PASSWORD required and
# complexity-checked, NODE_NAME, REPL_CONN_INFO, a standby copies the primary with gs_ctl build), then
# execs the container command, normally `gaussdb -M primary|standby`, in the foreground.
set -e
here=$(dirname "$(readlink -f "$0")")
# Inside a Pod this directory is bind-mounted at an image path; OG_ENGINE_HOME (set by the node
# agent) names the engine in the repository, where Node and the TypeScript sources are.
engine=${OG_ENGINE_HOME:-$here/..}
if [ "${1:0:1}" = '-' ]; then
  set -- gaussdb "$@"
fi
if [ "$1" = gaussdb ] && [ "$(id -u)" = 0 ]; then
  : "${PGDATA:?PGDATA must be set}"
  mkdir -p "$PGDATA"
  chown omm:omm "$PGDATA"
  chmod 700 "$PGDATA"
  HOME=$(getent passwd omm | cut -d: -f6)
  export HOME
  exec setpriv --reuid=omm --regid=omm --init-groups -- "$(readlink -f "$0")" "$@"
fi
if [ "$1" = gaussdb ]; then
  export NODE_COMPILE_CACHE="${OG_ENGINE_CACHE_DIR:-${TMPDIR:-/tmp}/og-engine-$UID}/node-cache"
  shift
  "$engine/../../node_modules/.bin/node" --disable-warning=ExperimentalWarning "$engine/main.ts" entrypoint-init "$@"
  if command -v gaussdb >/dev/null; then set -- gaussdb "$@"; else set -- "$here/gaussdb" "$@"; fi
fi
exec "$@"
