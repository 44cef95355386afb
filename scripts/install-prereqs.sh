#!/usr/bin/env bash
# Installs what the sandbox and the tests need on a fresh Debian machine (idempotent, as root):
# Debian packages, then the npm dependencies. Go 1.26+ must already be on PATH: it builds the
# control plane from the official Kubernetes and etcd Go modules.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null || { echo "install-prereqs: no Go toolchain on PATH (Go 1.26 or newer builds the control plane)" >&2; exit 1; }

# command → Debian package
declare -A packages=(
  [openssl]=openssl
  [/usr/lib/postgresql/15/bin/postgres]=postgresql-15
  [psql]=postgresql-client-15
  [nft]=nftables
  [mkfs.ext4]=e2fsprogs
  [mkfs.xfs]=xfsprogs
  [perl]=perl
  [setpriv]=util-linux
  [nsenter]=util-linux
  [losetup]=mount
  [unshare]=util-linux
  [gcc]=gcc
  [jq]=jq
  # Used inside test Pods: an HTTP server for HTTP probes, and an HTTP client.
  [python3]=python3
  [curl]=curl
)
missing=()
for cmd in "${!packages[@]}"; do
  if [[ $cmd == /* ]]; then [[ -x $cmd ]] || missing+=("${packages[$cmd]}"); else command -v "$cmd" >/dev/null || missing+=("${packages[$cmd]}"); fi
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then echo "install-prereqs: missing Debian packages (${missing[*]}); run as root to install them" >&2; exit 1; fi
  echo "install-prereqs: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The openGauss engine's OS user, when the engine provides its installer.
if [[ -x sandbox/engine/install-prereqs.sh && $(id -u) -eq 0 ]]; then sandbox/engine/install-prereqs.sh; fi

npm ci --no-audit --no-fund
