# og-lib.sh: functions shared by the in-pod scripts of og-operator; sourced, never run.
# Paths follow openGauss-operator 2.0's image contract (PGDATA=/gaussdata/openGauss/db1,
# GAUSSLOG=/gaussarch/log/omm, tools on PATH, user omm). Every path can be overridden through the
# environment so the contract tests run these functions in a temporary directory.
# shellcheck shell=bash

: "${PGDATA:=/gaussdata/openGauss/db1}"
: "${GAUSSLOG:=/gaussarch/log/omm}"
: "${OG_ARCH:=/gaussarch}"
: "${OG_FILES:=/gauss/files}"
: "${OG_CM_DIR:=$OG_FILES/cm-mnt}"
: "${OG_MAINTENANCE_FLAG:=$OG_FILES/maintenance}"
: "${OG_SCRIPT:=og}"

og_log() {
  printf '%s [%s] %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$OG_SCRIPT" "$*" >&2
}

og_pid_alive() {
  [[ ${1:-} =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ] && { kill -0 "$1" 2>/dev/null || [ -d "/proc/$1" ]; }
}

# The first word of the first line of a pid file, when that process is alive.
og_pid_file_alive() {
  local pid=
  [ -r "$1" ] || return 1
  read -r pid _ < "$1" 2>/dev/null || [ -n "$pid" ] || return 1
  og_pid_alive "$pid"
}

# openGauss names its postmaster thread GaussMaster; the PostgreSQL 15 sandbox runs postgres.
og_is_db_process() {
  local comm=
  comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
  case $comm in gaussdb* | GaussMaster* | postgres*) return 0 ;; *) return 1 ;; esac
}

og_postmaster_pid() {
  local pid=
  [ -r "$PGDATA/postmaster.pid" ] || return 1
  read -r pid < "$PGDATA/postmaster.pid" 2>/dev/null || [ -n "$pid" ] || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

og_db_running() {
  local pid
  pid=$(og_postmaster_pid) || return 1
  og_pid_alive "$pid" && og_is_db_process "$pid"
}

og_in_maintenance() {
  [ -e "$OG_MAINTENANCE_FLAG" ]
}

# A gs_ctl command (start, restart, build, switchover…) is working on the data directory: the
# database may be down on purpose for a while.
og_busy() {
  og_pid_file_alive "$PGDATA/gs_build.pid" && return 0
  og_pid_file_alive "$PGDATA/pg_ctl.lock" && return 0
  local state="$PGDATA/gaussdb.state" pid=
  if [ -r "$state" ] && grep -qa 'db_state=Building' "$state" 2>/dev/null; then
    pid=$(grep -ao 'build_pid=[0-9]*' "$state" | head -n 1 | cut -d= -f2)
    og_pid_alive "$pid" && return 0
  fi
  return 1
}

# Liveness: the database runs, or it is down on purpose (maintenance, a gs_ctl operation).
og_db_alive_or_excused() {
  og_db_running || og_in_maintenance || og_busy
}

og_prepare_log_dirs() {
  mkdir -p "$OG_ARCH/archive" "$OG_ARCH/corefile" "$OG_ARCH/log/ha" \
    "$GAUSSLOG/bin" "$GAUSSLOG/pg_audit" "$GAUSSLOG/pg_log" 2>/dev/null || og_log "warning: could not create the log directories under $OG_ARCH"
}

# 2.0's password rule for a new database: at least 8 characters with upper, lower and a digit.
og_strong_password() {
  local pw=${1:-}
  [ ${#pw} -ge 8 ] && [[ $pw =~ [A-Z] ]] && [[ $pw =~ [a-z] ]] && [[ $pw =~ [0-9] ]]
}

# A JSON string literal: quotes and backslashes escaped, control characters turned into spaces.
og_json_string() {
  local s=${1:-}
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=$(printf '%s' "$s" | tr '\000-\037' ' ')
  printf '"%s"' "$s"
}

# The value of FIELD in SECTION ("HA state", "Senders info", …) of gs_ctl query/querybuild output;
# works for the normal (TAB, " : ") and the fallback (8 spaces, ": ") layouts.
og_query_field() {
  printf '%s\n' "$1" | awk -v section="$2" -v field="$3" '
    /^[[:space:]]*(HA state|Senders info|Receiver info|Build state):[[:space:]]*$/ { insec = (index($0, section ":") > 0); next }
    insec {
      line = $0; sub(/^[[:space:]]+/, "", line)
      n = index(line, ":"); if (n == 0) next
      name = substr(line, 1, n - 1); sub(/[[:space:]]+$/, "", name)
      if (name != field) next
      value = substr(line, n + 1); sub(/^[[:space:]]+/, "", value); sub(/[[:space:]]+$/, "", value)
      print value; exit
    }'
}

# A name=value line of a .conf file shipped in og-<cluster>-cm: prints it, or fails on a bad line.
og_conf_line_ok() {
  [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_.]*=.+$ ]]
}

# The non-blank, non-comment lines of a .conf file.
og_conf_lines() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    printf '%s\n' "$line"
  done < "$1"
}
