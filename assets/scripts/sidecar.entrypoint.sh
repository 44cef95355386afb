#!/bin/bash
# Entrypoint of the sidecar container (run under tini): ships the member's logs with filebeat
# using the shared filebeat ConfigMap, as 2.0 does. When the image has no filebeat or the
# ConfigMap is missing (it is optional), the sidecar idles instead of crash-looping: logs are not
# worth a restart loop. filebeat's registry goes to a writable directory, not the image.
OG_SCRIPT=sidecar
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=og-lib.sh
. "$here/og-lib.sh"

filebeat=${FILEBEAT_BIN:-/opt/filebeat/filebeat}
config=${FILEBEAT_CONFIG:-/opt/filebeat/opengauss/filebeat.opengauss.yml}
data=${FILEBEAT_DATA:-/tmp/filebeat-data}

if [ -x "$filebeat" ] && [ -r "$config" ]; then
  mkdir -p "$data"
  exec "$filebeat" -e -c "$config" --path.data "$data" --path.home "$(dirname "$filebeat")"
fi
og_log "filebeat ($filebeat) or its configuration ($config) is missing; idling"
trap 'exit 0' TERM INT
while :; do
  sleep 3600 &
  wait $!
done
