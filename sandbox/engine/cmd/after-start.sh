#!/bin/sh
# Runs beside a server for its lifetime (opengauss.md §10.3, §10.7.4). It waits until the server
# accepts connections; with "promote" it promotes it (a -M primary start of a former standby); with
# "watch" it becomes the watcher, running og_compat.tick() every second on one connection: the
# most_available_sync controller on a primary, walreceiver channel cycling on a standby (a data
# directory initialised before tick() existed runs sync_tick() only). When the server stops the query
# fails and psql exits: it never outlives the server.
# Arguments: <data dir> <socket dir> <port> <user> <psql path> <promote|-> <watch|->
data_dir=$1 socket_dir=$2 port=$3 user=$4 psql=$5 promote=$6 watch=$7
tries=0
while :; do
  status=$(sed -n 8p "$data_dir/postmaster.pid" 2>/dev/null)
  case $status in *ready*|*standby*) break ;; esac
  tries=$((tries + 1))
  [ "$tries" -gt 600 ] && exit 0
  sleep 0.2
done
if [ "$promote" = promote ]; then
  "$psql" -X -q -A -t -h "$socket_dir" -p "$port" -U "$user" -d postgres -c 'SELECT pg_catalog.pg_promote(true, 60)' >/dev/null 2>&1
fi
[ "$watch" = watch ] || exit 0
echo $$ >"$data_dir/og_sync_watcher.pid"
tick=$("$psql" -X -q -A -t -h "$socket_dir" -p "$port" -U "$user" -d postgres \
  -c "SELECT CASE WHEN pg_catalog.to_regproc('og_compat.tick') IS NULL THEN 'sync_tick' ELSE 'tick' END" 2>/dev/null)
[ -n "$tick" ] || tick=sync_tick
exec "$psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$port" -U "$user" -d postgres -o /dev/null <<SQL
SELECT og_compat.$tick() \watch 1
SQL
