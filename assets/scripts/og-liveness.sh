#!/bin/bash
# Liveness probe of the og container: passes while the database process runs, or while it is down
# on purpose (maintenance flag, a gs_ctl operation such as a build or a restart). It never queries
# the database, so a busy database is never restarted.
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=og-lib.sh
. "$here/og-lib.sh"
og_db_alive_or_excused
