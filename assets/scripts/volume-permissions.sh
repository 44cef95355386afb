#!/bin/bash
# volume-permissions init container: runs as root with only CHOWN, FOWNER and DAC_OVERRIDE (no
# privileged container, no sudo: weakness 12) and hands the member's volumes to omm, as 2.0's
# initenv did with `sudo chown`. It sees each volume's root under OG_VOLUMES_ROOT: the data PVC
# (subPath db1 for the database), the log PVC (subPath log), and the backup and archive hostPath
# directories. A directory already owned by omm is left alone, so an adopted 2.0 volume is not
# walked; a new or foreign one is chowned recursively.
set -u
root=${OG_VOLUMES_ROOT:-/mnt/og}
uid=${OMM_UID:-580}
gid=${OMM_GID:-$uid}

own() {
  local dir=$1
  mkdir -p "$dir" || return 1
  if [ "$(stat -c %u "$dir")" != "$uid" ]; then
    echo "volume-permissions: giving $dir to $uid:$gid"
    chown -R "$uid:$gid" "$dir" || return 1
  fi
}

status=0
own "$root/data/db1" || status=1
own "$root/log/log" || status=1
own "$root/backup" || status=1
own "$root/archive" || status=1
exit "$status"
