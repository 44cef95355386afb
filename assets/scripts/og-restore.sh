#!/bin/bash
# Restores a data directory from a backup archive (2.0's contract: the operator runs
# `nohup bash /gauss/files/og-restore.sh -backupFile F -dataDir D >> /gauss/files/restore.log 2>&1 &`
# with the database stopped, then reads the last log line). The old directory is moved aside, the
# archive (tar, optionally compressed; a gs_basebackup tar-format base.tar inside is unpacked too)
# is extracted into a fresh directory, and the last line says `Restore DB data complete.` or
# `Restore DB data failed: <reason>`. Unlike 2.0, a failed restore puts the old directory back.
OG_SCRIPT=og-restore
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=og-lib.sh
. "$here/og-lib.sh"

backup_file=
data_dir=
while [ $# -gt 0 ]; do
  case $1 in
    -backupFile) backup_file=${2:-}; shift 2 ;;
    -dataDir) data_dir=${2:-}; shift 2 ;;
    *) echo "Restore DB data failed: unknown argument $1"; exit 2 ;;
  esac
done

fail() {
  echo "Restore DB data failed: $*"
  exit 1
}

[ -n "$backup_file" ] && [ -n "$data_dir" ] || fail "usage: og-restore.sh -backupFile FILE -dataDir DIR"
[ -f "$backup_file" ] || fail "no backup file $backup_file"
PGDATA=$data_dir
og_db_running && fail "the database in $data_dir is running; stop it first"

aside="$data_dir.before-restore-$(date +%Y%m%d%H%M%S)"
if [ -e "$data_dir" ]; then
  mv "$data_dir" "$aside" || fail "cannot move $data_dir aside"
fi

roll_back() {
  rm -rf "$data_dir"
  [ -e "$aside" ] && mv "$aside" "$data_dir"
  fail "$*"
}

echo "restoring $backup_file into $data_dir (previous directory: $aside)"
mkdir -p "$data_dir" && chmod 700 "$data_dir" || roll_back "cannot create $data_dir"
tar -xf "$backup_file" -C "$data_dir" || roll_back "cannot extract $backup_file"
for inner in "$data_dir/base.tar" "$data_dir/base.tar.gz"; do
  if [ -f "$inner" ]; then
    tar -xf "$inner" -C "$data_dir" && rm -f "$inner" || roll_back "cannot extract $(basename "$inner")"
  fi
done
[ -f "$data_dir/PG_VERSION" ] || roll_back "the archive holds no database (PG_VERSION missing)"
# An archive's "." entry carries its own mode; openGauss refuses a group-accessible data directory.
chmod 700 "$data_dir" || roll_back "cannot set the mode of $data_dir"
rm -f "$data_dir/postmaster.pid"
echo "Restore DB data complete."
