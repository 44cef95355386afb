#!/bin/bash
# Probe of a member, run by the operator (`timeout 10s bash /gauss/files/K8SChkRepl.sh`). Prints
# one line of 2.0's JSON (seed-operator.md §4.2), with these differences: detailinfo is the whole
# value (2.0 cut it at the first space, so `Need repair` read `Need`); hang is 1 when gs_ctl query
# timed out against a live process (2.0: always 0); buildstatus is 1 after a failed build and 3
# when no build is recorded or the database runs Normal (2.0 reached neither); busy (new) is 1 while a gs_ctl command (start,
# restart, build) works on the data directory, so a database that is down on purpose is not taken
# for a dead one; no `{"running":1}` answer (the probe only reads, so concurrent runs are harmless).
# With OG_PROBE_QUERY_MARK set, the line is followed by that mark and the whole `gs_ctl query`
# output, so the operator gets both from one run of gs_ctl. Each tool call has its own timeout so
# the whole probe ends in about 9 seconds.
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
OG_SCRIPT=K8SChkRepl
# shellcheck source=og-lib.sh
. "$here/og-lib.sh"

: "${OG_QUERY_TIMEOUT:=6}"
: "${OG_QUERYBUILD_TIMEOUT:=3}"

# 0 no log, 1 complete, 2 failed, 3 running (the last line of a restore or backup log).
log_status() {
  local last
  [ -f "$1" ] || { printf 0; return; }
  last=$(grep -v '^[[:space:]]*$' "$1" | tail -n 1)
  case ${last,,} in
    *fail*) printf 2 ;;
    *complete*) printf 1 ;;
    *) printf 3 ;;
  esac
}

# $1 is 1 when the database runs in a Normal state: no build can be running then, and the result of
# an old one is history, so gs_ctl querybuild is not asked (it is most of a settled probe's cost).
build_status() {
  local out state
  og_busy && grep -qa 'Building' "$PGDATA/gaussdb.state" 2>/dev/null && { printf 2; return; }
  [ "$1" = 1 ] && { printf 3; return; }
  out=$(timeout "$OG_QUERYBUILD_TIMEOUT" gs_ctl querybuild -D "$PGDATA" 2>/dev/null)
  state=$(og_query_field "$out" 'HA state' db_state)
  case $state in
    Building) printf 2 ;;
    'Build failed') printf 1 ;;
    'Build completed') printf 0 ;;
    *) printf 3 ;;
  esac
}

main() {
  local maintenance=0 chkprocess=0 chkconn=0 hang=0 out rc role db_state detail connections
  local primary=0 standby=0 pending=0 standalone=0 chkrepl=0 busy=0
  og_in_maintenance && maintenance=1
  og_busy && busy=1
  og_db_running && chkprocess=1
  out=$(timeout "$OG_QUERY_TIMEOUT" gs_ctl query -D "$PGDATA" 2>&1)
  rc=$?
  [ "$rc" -eq 0 ] && chkconn=1
  [ "$rc" -eq 124 ] && [ "$chkprocess" -eq 1 ] && hang=1
  role=$(og_query_field "$out" 'HA state' local_role)
  db_state=$(og_query_field "$out" 'HA state' db_state)
  detail=$(og_query_field "$out" 'HA state' detail_information)
  connections=$(og_query_field "$out" 'HA state' static_connections)
  [[ $connections =~ ^[0-9]+$ ]] || connections=0
  case $role in
    Primary) primary=1 ;;
    *Standby) standby=1 ;;
    Pending) pending=1 ;;
    Normal) standalone=1 ;;
  esac
  [[ $db_state == *Normal* ]] && chkrepl=1
  printf '{"chkprocess":%d, "chkconn":%d, "maintenance":%d, "pending":%d, "primary":%d, "standby":%d, "standalone":%d, "hang":%d, "chkrepl":%d, "buildstatus":%d, "basebackup":%d, "restore":%d, "connections":%d, "busy":%d, "detailinfo":%s}\n' \
    "$chkprocess" "$chkconn" "$maintenance" "$pending" "$primary" "$standby" "$standalone" "$hang" "$chkrepl" \
    "$(build_status "$((chkprocess && chkrepl))")" "$(log_status "$OG_FILES/basebackup.log")" "$(log_status "$OG_FILES/restore.log")" \
    "$connections" "$busy" "$(og_json_string "$detail")"
  if [ -n "${OG_PROBE_QUERY_MARK:-}" ]; then printf '%s\n%s\n' "$OG_PROBE_QUERY_MARK" "$out"; fi
}

main "$@"
