#!/bin/bash
# preStop of the og container: mark the member hands-off so the entrypoint does not treat the
# stop as a crash, then stop the database with a fast shutdown (2.0: gs_ctl stop).
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
OG_SCRIPT=og-prestop
# shellcheck source=og-lib.sh
. "$here/og-lib.sh"
touch "$OG_MAINTENANCE_FLAG" 2>/dev/null
og_db_running || exit 0
gs_ctl stop -D "$PGDATA" -m fast
