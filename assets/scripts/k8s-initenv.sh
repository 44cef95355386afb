#!/bin/bash
# initenv container (2.0's contract, seed-operator.md §3.5). On a new data volume (NEED_INIT=true
# and no database yet) it runs gs_initdb with the password from OG_PASSWORD; then, at every pod
# start, it applies the baseline postgres-cm.conf and the user's postgres-user.conf with
# `gs_guc set`, so a recreated member comes back with the cluster's settings. Differences from 2.0:
# - an existing database is never re-initialised, and a missing one is initialised only when
#   NEED_INIT=true (a volume that should hold data but is empty stops here instead of silently
#   becoming a new, empty database);
# - the password goes to gs_initdb through a private file, not the command line;
# - remote `trust` lines left in pg_hba.conf (2.0 wrote them for every peer) are commented out;
# - the dbpaasop sysadmin is created only when CREATE_DBPAASOP_USER=true, and only right after
#   initdb (2.0 started every member writable on every start to create it, which on a standby
#   writes WAL the primary does not have).
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
OG_SCRIPT=k8s-initenv
# shellcheck source=og-lib.sh
. "$here/og-lib.sh"

# A data directory without PG_VERSION but with files is a broken earlier attempt: keep it aside.
set_aside_partial_datadir() {
  [ -d "$PGDATA" ] || return 0
  [ -z "$(ls -A "$PGDATA" 2>/dev/null)" ] && return 0
  local aside
  aside="$PGDATA.partial-$(date +%Y%m%d%H%M%S)"
  og_log "moving the incomplete data directory to $aside"
  mv "$PGDATA" "$aside"
}

initdb() {
  local pwfile rc
  if ! og_strong_password "${OG_PASSWORD:-}"; then
    og_log "the initial password must have at least 8 characters with upper case, lower case and a digit"
    return 1
  fi
  set_aside_partial_datadir || return 1
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA" || return 1
  pwfile=$(umask 077 && mktemp "${TMPDIR:-/tmp}/og-initdb.XXXXXX") || return 1
  printf '%s\n' "$OG_PASSWORD" > "$pwfile"
  gs_initdb --locale=C -E UTF-8 --pwfile="$pwfile" --nodename=gaussdb -D "$PGDATA"
  rc=$?
  rm -f "$pwfile"
  [ "$rc" -eq 0 ] || og_log "gs_initdb failed with exit code $rc"
  return "$rc"
}

# The baseline must apply completely: one gs_guc call, any bad line fails the start.
apply_baseline() {
  local file="$OG_CM_DIR/postgres-cm.conf" line args=()
  [ -r "$file" ] || { og_log "missing $file"; return 1; }
  while IFS= read -r line; do
    og_conf_line_ok "$line" || { og_log "malformed line in postgres-cm.conf: ${line%%=*}"; return 1; }
    args+=(-c "$line")
  done < <(og_conf_lines "$file")
  [ "${#args[@]}" -eq 0 ] && return 0
  gs_guc set -D "$PGDATA" "${args[@]}" > /dev/null || { og_log "gs_guc set of the baseline failed"; return 1; }
}

# The user's spec.config is applied key by key: a value openGauss refuses is reported (the
# operator reports it too) but does not keep the member down.
apply_user_conf() {
  local file="$OG_CM_DIR/postgres-user.conf" line
  [ -r "$file" ] || return 0
  while IFS= read -r line; do
    if ! og_conf_line_ok "$line" || ! gs_guc set -D "$PGDATA" -c "$line" > /dev/null; then
      og_log "warning: spec.config ${line%%=*} was not applied"
    fi
  done < <(og_conf_lines "$file")
}

disable_mot_numa() {
  local mot="$PGDATA/mot.conf"
  [ -f "$mot" ] || return 0
  grep -q '^[[:space:]]*enable_numa' "$mot" || printf 'enable_numa = false\n' >> "$mot"
}

# Clients authenticate with md5; remote trust lines (2.0 wrote one per peer) are commented out.
secure_hba() {
  local hba="$PGDATA/pg_hba.conf" type db user addr f5 f6 method
  gs_guc set -D "$PGDATA" -h "host all all 0.0.0.0/0 md5" > /dev/null || og_log "warning: could not set the client hba line"
  [ -r "$hba" ] || return 0
  while read -r type db user addr f5 f6 _; do
    case $type in host | hostssl | hostnossl) ;; *) continue ;; esac
    method=$f5
    [[ $addr == */* ]] || method=$f6
    [ "$method" = trust ] || continue
    case $addr in 127.* | ::1/128 | localhost) continue ;; esac
    if [[ $addr == */* ]]; then
      gs_guc set -D "$PGDATA" -h "$type $db $user $addr" > /dev/null || og_log "warning: could not remove trust for $addr"
    else
      gs_guc set -D "$PGDATA" -h "$type $db $user $addr $f5" > /dev/null || og_log "warning: could not remove trust for $addr"
    fi
  done < <(grep -v '^[[:space:]]*#' "$hba")
}

conf_port() {
  grep -E '^port=' "$OG_CM_DIR/postgres-cm.conf" 2>/dev/null | tail -n 1 | cut -d= -f2
}

create_dbpaasop_user() {
  local port pw
  port=$(conf_port)
  pw=${DBPAASOP_PASSWD:-}
  og_strong_password "$pw" || { og_log "DBPAASOP_PASSWD is too weak; dbpaasop not created"; return 1; }
  gs_ctl start -D "$PGDATA" > /dev/null || return 1
  gsql -d postgres -p "${port:-5432}" -v ON_ERROR_STOP=1 -q <<SQL
CREATE USER dbpaasop WITH SYSADMIN MONADMIN PASSWORD '${pw//\'/\'\'}';
SQL
  local rc=$?
  gs_ctl stop -D "$PGDATA" -m fast > /dev/null
  return "$rc"
}

main() {
  local fresh=0
  og_prepare_log_dirs
  if [ -f "$PGDATA/PG_VERSION" ]; then
    og_log "existing database in $PGDATA"
  elif [ "${NEED_INIT:-false}" = true ]; then
    initdb || exit 1
    fresh=1
  else
    og_log "no database in $PGDATA and NEED_INIT is not true: refusing to initialise a volume that should hold data"
    exit 1
  fi
  apply_baseline || exit 1
  apply_user_conf
  disable_mot_numa
  secure_hba
  if [ "$fresh" = 1 ] && [ "${CREATE_DBPAASOP_USER:-false}" = true ]; then
    create_dbpaasop_user || og_log "warning: could not create the dbpaasop user"
  fi
  og_log "done"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
