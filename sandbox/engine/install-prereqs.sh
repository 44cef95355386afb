#!/bin/sh
# Host prerequisites of the sandbox openGauss engine (docs/sandbox-engine.md). Idempotent; root only.
# PostgreSQL refuses to run as root and openGauss runs as `omm`, so the host needs that user. uid/gid
# 580 mirrors the openGauss-operator 2.0 image (seed-operator.md §3.4); another id is used if taken.
set -eu
if [ "$(id -u)" -ne 0 ]; then
  echo "install-prereqs.sh: must run as root" >&2
  exit 1
fi
if ! getent group omm >/dev/null; then
  if getent group 580 >/dev/null; then groupadd --system omm; else groupadd --gid 580 omm; fi
fi
if ! getent passwd omm >/dev/null; then
  if getent passwd 580 >/dev/null; then uid_opt=""; else uid_opt="--uid 580"; fi
  # shellcheck disable=SC2086 # uid_opt is intentionally split
  useradd $uid_opt --gid omm --home-dir /home/omm --create-home --shell /bin/bash omm
fi
test -x /usr/lib/postgresql/15/bin/postgres || { echo "install-prereqs.sh: PostgreSQL 15 is missing (/usr/lib/postgresql/15/bin)" >&2; exit 1; }
