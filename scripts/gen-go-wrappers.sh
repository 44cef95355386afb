#!/usr/bin/env bash
# Regenerates the Go wrapper modules that build the control plane (hack/k8sbin, hack/etcdbin).
# k8s.io/kubernetes is not a library: its go.mod maps ~30 staging modules to v0.0.0, so a
# dependent module must replace each with its published v0.<minor>.<patch> tag itself.
# Usage: scripts/gen-go-wrappers.sh [output-dir]   (default: hack/; the drift test writes elsewhere)
# Versions come from sandbox/control-plane/versions.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-hack}
k8s=$(sed -n "s/^export const kubernetesVersion = '\(v[0-9.]*\)';/\1/p" sandbox/control-plane/versions.ts)
etcd=$(sed -n "s/^export const etcdVersion = '\(v[0-9.]*\)';/\1/p" sandbox/control-plane/versions.ts)
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

mkdir -p "$out/k8sbin" "$out/etcdbin"
(
  cd "$out/k8sbin"
  rm -f go.mod go.sum
  go mod init og-operator.invalid/k8sbin >/dev/null 2>&1
  go mod edit -go=1.26.0
  gomod=$(go mod download -json "k8s.io/kubernetes@$k8s" | jq -r .GoMod)
  awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$gomod" | sort -u |
    while read -r m; do go mod edit -replace="$m=$m@v0.${k8s#v1.}"; done
  go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$k8s" "k8s.io/kubernetes/cmd/kube-controller-manager@$k8s" \
    "k8s.io/kubernetes/cmd/kube-scheduler@$k8s" "k8s.io/kubernetes/cmd/kubectl@$k8s" >/dev/null 2>&1
  go mod tidy >/dev/null 2>&1
)
(
  cd "$out/etcdbin"
  rm -f go.mod go.sum
  go mod init og-operator.invalid/etcdbin >/dev/null 2>&1
  go mod edit -go=1.26.0
  go get -tool "go.etcd.io/etcd/server/v3@$etcd" >/dev/null 2>&1
  go mod tidy >/dev/null 2>&1
)
echo "wrote $out/k8sbin and $out/etcdbin for kubernetes $k8s, etcd $etcd"
