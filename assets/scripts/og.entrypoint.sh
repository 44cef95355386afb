#!/bin/bash
# Entrypoint of the og container (run under tini). 2.0's contract: prepare the log directories,
# mark the member hands-off (the operator clears /gauss/files/maintenance once it has given the
# member its role), link the ConfigMap files into /gauss/files, and start the database pending;
# the operator decides primary or standby. Then it keeps the container alive while the database
# runs. Unlike 2.0, when the database process is gone for OG_DEAD_GRACE_SECONDS and neither the
# maintenance flag nor a gs_ctl operation explains it, the entrypoint exits non-zero so Kubernetes
# restarts the container (2.0 kept a dead member's pod alive forever).
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
OG_SCRIPT=og.entrypoint
# shellcheck source=og-lib.sh
. "$here/og-lib.sh"

watch_interval=${OG_WATCH_INTERVAL_SECONDS:-5}
dead_grace=${OG_DEAD_GRACE_SECONDS:-30}

link_configmap_files() {
  local f
  for f in "$OG_CM_DIR"/*; do
    [ -f "$f" ] && ln -sfn "$f" "$OG_FILES/$(basename "$f")"
  done
}

# A postmaster.pid whose process is gone (or is some other process now, after a container
# restart) would make the database refuse to start; set it aside.
clear_stale_pid() {
  local pid
  pid=$(og_postmaster_pid) || return 0
  if og_pid_alive "$pid" && og_is_db_process "$pid"; then return 0; fi
  og_log "moving the stale postmaster.pid (pid $pid) aside"
  mv -f "$PGDATA/postmaster.pid" "$PGDATA/postmaster.pid.stale"
}

on_term() {
  og_log "stopping: fast shutdown of the database"
  touch "$OG_MAINTENANCE_FLAG" 2>/dev/null
  if og_db_running; then gs_ctl stop -D "$PGDATA" -m fast; fi
  exit 0
}

# A start can fail for a moment (the port of a process that is still going away); retry a few
# times, then exit so the kubelet restarts the container: staying up without a database, flagged
# as in maintenance, would leave the operator waiting for a member that never comes.
start_pending() {
  local attempt
  for attempt in 1 2 3 4 5; do
    og_log "starting the database in pending mode (attempt $attempt)"
    gs_ctl start -D "$PGDATA" -M pending &
    local rc=0
    wait $! || rc=$?
    if [ "$rc" -eq 0 ]; then return 0; fi
    og_log "gs_ctl start exited with $rc"
    sleep "${OG_START_RETRY_SECONDS:-2}" &
    wait $!
  done
  og_log "the database did not start; exiting so the container restarts"
  exit 1
}

watch_database() {
  local missing=0
  while :; do
    sleep "$watch_interval" &
    wait $!
    if og_db_alive_or_excused; then
      missing=0
      continue
    fi
    missing=$((missing + watch_interval))
    if [ "$missing" -ge "$dead_grace" ]; then
      og_log "the database process has been gone for ${missing}s outside maintenance; exiting so the container restarts"
      exit 1
    fi
  done
}

main() {
  og_prepare_log_dirs
  touch "$OG_MAINTENANCE_FLAG" || { og_log "cannot create $OG_MAINTENANCE_FLAG"; exit 1; }
  link_configmap_files
  trap on_term TERM INT
  if [ -f "$PGDATA/PG_VERSION" ]; then
    og_log "data volume usage: $(df -h "$PGDATA" 2>/dev/null | awk 'NR == 2 { print $5 }')"
    clear_stale_pid
    start_pending
  else
    # 2.0 failed here, which crash-looped a member whose build was interrupted: the container must
    # stay up (hands-off) so the operator can exec into it and rebuild the data directory.
    og_log "no database in $PGDATA (PG_VERSION missing); staying in maintenance until the operator rebuilds it"
  fi
  watch_database
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
