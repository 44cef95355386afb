-- openGauss SQL surface over PostgreSQL 15 (opengauss.md §3, §7, §10.1, §10.4). Loaded by gs_initdb in
-- single-user mode into template1, from which `postgres` is recreated. Statements end with ";" at the
-- end of a line (postgres --single -j). The engine writes og.* settings into the generated config
-- (og.mode, og.replconninfoN, og.most_available_sync, og.sync_*), which these functions read.
CREATE SCHEMA og_compat;

CREATE TABLE og_compat.term_state (term bigint NOT NULL);

INSERT INTO og_compat.term_state VALUES (0);

CREATE FUNCTION og_compat.og_setting(p_name text) RETURNS text LANGUAGE sql STABLE
AS $$ SELECT coalesce(current_setting('og.' || p_name, true), '') $$;

CREATE FUNCTION og_compat.og_bool(p_name text) RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT lower(og_compat.og_setting(p_name)) IN ('on', 'true', 'yes', '1') $$;

-- The role comes from the -M of the last start (og.mode), not from the data directory (§2.2).
CREATE FUNCTION og_compat.local_role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN NOT pg_catalog.pg_is_in_recovery() THEN
      CASE WHEN og_compat.og_setting('mode') IN ('', 'normal') THEN 'Normal' ELSE 'Primary' END
    WHEN og_compat.og_setting('mode') = 'pending' THEN 'Pending'
    WHEN og_compat.og_setting('mode') = 'cascade_standby' THEN 'Cascade Standby'
    ELSE 'Standby' END $$;

-- Keys are located by substring search like openGauss does (§4.1); the first channel only.
CREATE FUNCTION og_compat.replconninfo()
RETURNS TABLE (idx int, localhost text, localport int, remotehost text, remoteport int)
LANGUAGE sql STABLE AS $$
  SELECT i,
    (regexp_match(v, 'localhost=([^\s,]+)'))[1],
    ((regexp_match(v, 'localport=(\d+)'))[1])::int,
    (regexp_match(v, 'remotehost=([^\s,]+)'))[1],
    ((regexp_match(v, 'remoteport=(\d+)'))[1])::int
  FROM generate_series(1, 8) AS i, LATERAL (SELECT og_compat.og_setting('replconninfo' || i) AS v) AS s
  WHERE btrim(v) <> '' $$;

CREATE FUNCTION og_compat.first_listen_address() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT btrim(split_part(current_setting('listen_addresses'), ',', 1)) $$;

CREATE FUNCTION og_compat.percent(done pg_lsn, target pg_lsn) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN done IS NULL OR target IS NULL THEN '0%'
    WHEN done >= target OR target = '0/0'::pg_lsn THEN '100%'
    ELSE floor((done - '0/0'::pg_lsn) * 100 / (target - '0/0'::pg_lsn))::int || '%' END $$;

-- <local ip>:<HA port>--><peer ip>:<peer port>, the local side taken from the replconninfo entry of
-- that peer (§2.3). The HA port is the entry's localport (port+1 without one).
CREATE FUNCTION og_compat.sender_channel(peer text, peer_port int) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(e.localhost, og_compat.first_listen_address()) || ':'
    || coalesce(e.localport, current_setting('port')::int + 1) || '-->'
    || coalesce(peer, 'localhost') || ':' || coalesce(peer_port, -1)
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (SELECT * FROM og_compat.replconninfo() AS r
                     ORDER BY r.remotehost IS NOT DISTINCT FROM peer DESC, r.idx LIMIT 1) AS e ON true $$;

-- <local ip>:0<--<primary ip>:<primary HA port> (§10.4: the walreceiver's own port is not exposed).
CREATE FUNCTION og_compat.receiver_channel(peer text, peer_port int) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(e.localhost, og_compat.first_listen_address()) || ':0<--' || coalesce(peer, '') || ':'
    || coalesce(CASE WHEN e.remotehost = peer THEN e.remoteport END, peer_port + 1, 0)
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (SELECT * FROM og_compat.replconninfo() AS r
                     ORDER BY r.remotehost IS NOT DISTINCT FROM peer DESC, r.idx LIMIT 1) AS e ON true $$;

CREATE FUNCTION og_compat.pg_stat_get_stream_replications()
RETURNS TABLE (local_role text, static_connections int, db_state text, detail_information text)
LANGUAGE sql STABLE AS $$
  SELECT r.role,
    (SELECT count(*)::int FROM og_compat.replconninfo()),
    CASE WHEN r.role IN ('Primary', 'Normal') THEN 'Normal'
         WHEN r.role <> 'Pending' AND w.status = 'streaming' THEN 'Normal'
         ELSE 'Need repair' END,
    CASE WHEN r.role IN ('Primary', 'Normal') THEN 'Normal'
         WHEN r.role = 'Pending' THEN 'Disconnected'
         WHEN w.status = 'streaming' THEN 'Normal'
         WHEN w.pid IS NOT NULL THEN 'Connecting...'
         ELSE 'Disconnected' END
  FROM (SELECT og_compat.local_role() AS role) AS r
  LEFT JOIN pg_catalog.pg_stat_wal_receiver AS w ON true $$;

CREATE FUNCTION og_compat.pg_stat_get_wal_senders()
RETURNS TABLE (pid bigint, sender_pid int, local_role text, peer_role text, peer_state text, state text,
  catchup_start timestamptz, catchup_end timestamptz, sender_sent_location text, sender_write_location text,
  sender_flush_location text, sender_replay_location text, receiver_received_location text,
  receiver_write_location text, receiver_flush_location text, receiver_replay_location text,
  sync_percent text, sync_state text, sync_priority int, sync_most_available text, channel text)
LANGUAGE sql STABLE AS $$
  WITH me AS (
    SELECT og_compat.local_role() AS role,
      CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_receive_lsn()
           ELSE pg_catalog.pg_current_wal_lsn() END AS wr,
      CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_receive_lsn()
           ELSE pg_catalog.pg_current_wal_flush_lsn() END AS fl)
  SELECT s.pid::bigint, s.pid, me.role,
    CASE WHEN me.role IN ('Primary', 'Normal') THEN 'Standby' ELSE 'Cascade Standby' END,
    'Normal', initcap(s.state), s.backend_start, NULL::timestamptz,
    s.sent_lsn::text, me.wr::text, me.fl::text, me.fl::text,
    s.write_lsn::text, s.write_lsn::text, s.flush_lsn::text, s.replay_lsn::text,
    og_compat.percent(s.flush_lsn, me.fl), initcap(s.sync_state), s.sync_priority,
    CASE WHEN og_compat.og_bool('most_available_sync') THEN 'On' ELSE 'Off' END,
    og_compat.sender_channel(host(s.client_addr), s.client_port)
  FROM pg_catalog.pg_stat_replication AS s, me
  ORDER BY s.sync_priority = 0, s.sync_priority, s.pid $$;

CREATE FUNCTION og_compat.pg_stat_get_wal_receiver()
RETURNS TABLE (receiver_pid int, local_role text, peer_role text, peer_state text, state text,
  sender_sent_location text, sender_write_location text, sender_flush_location text,
  sender_replay_location text, receiver_received_location text, receiver_write_location text,
  receiver_flush_location text, receiver_replay_location text, sync_percent text, channel text)
LANGUAGE sql STABLE AS $$
  SELECT w.pid, og_compat.local_role(),
    CASE WHEN og_compat.og_setting('mode') = 'cascade_standby' THEN 'Standby' ELSE 'Primary' END,
    'Normal', CASE WHEN w.status = 'streaming' THEN 'Normal' ELSE 'Starting' END,
    coalesce(w.latest_end_lsn, w.written_lsn)::text, coalesce(w.latest_end_lsn, w.written_lsn)::text,
    coalesce(w.latest_end_lsn, w.written_lsn)::text, coalesce(w.latest_end_lsn, w.written_lsn)::text,
    w.written_lsn::text, w.written_lsn::text, w.flushed_lsn::text,
    coalesce(pg_catalog.pg_last_wal_replay_lsn(), '0/0'::pg_lsn)::text,
    og_compat.percent(w.flushed_lsn, coalesce(w.latest_end_lsn, w.flushed_lsn)),
    og_compat.receiver_channel(w.sender_host, w.sender_port)
  FROM pg_catalog.pg_stat_wal_receiver AS w $$;

-- The term: the larger of term_file (4 bytes, little endian) and the replicated term_state row, so a
-- standby reports the term of the primary it follows (§3).
CREATE FUNCTION og_compat.current_term() RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog AS $$
DECLARE
  b bytea;
  from_file bigint := 0;
  replicated bigint;
BEGIN
  b := pg_read_binary_file('term_file', 0, 4, true);
  IF b IS NOT NULL AND length(b) >= 4 THEN
    from_file := get_byte(b, 0) + get_byte(b, 1) * 256 + get_byte(b, 2) * 65536 + get_byte(b, 3)::bigint * 16777216;
  END IF;
  SELECT term INTO replicated FROM og_compat.term_state LIMIT 1;
  RETURN greatest(from_file, coalesce(replicated, 0), 1);
END $$;

CREATE FUNCTION og_compat.pg_current_xlog_location() RETURNS text LANGUAGE sql
AS $$ SELECT pg_catalog.pg_current_wal_lsn()::text $$;

CREATE FUNCTION og_compat.pg_current_xlog_insert_location() RETURNS text LANGUAGE sql
AS $$ SELECT pg_catalog.pg_current_wal_insert_lsn()::text $$;

CREATE FUNCTION og_compat.pg_last_xlog_receive_location() RETURNS text LANGUAGE sql
AS $$ SELECT pg_catalog.pg_last_wal_receive_lsn()::text $$;

CREATE FUNCTION og_compat.pg_last_xlog_replay_location(OUT term text, OUT lsn text) RETURNS record LANGUAGE sql
AS $$ SELECT og_compat.current_term()::text, coalesce(pg_catalog.pg_last_wal_replay_lsn(), '0/0'::pg_lsn)::text $$;

CREATE FUNCTION og_compat.pg_xlog_location_diff(text, text) RETURNS numeric LANGUAGE sql
AS $$ SELECT pg_catalog.pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) $$;

CREATE FUNCTION og_compat.gs_get_recv_locations(OUT received_lsn text, OUT write_lsn text, OUT flush_lsn text, OUT replay_lsn text)
RETURNS record LANGUAGE sql AS $$
  SELECT w.written_lsn::text, w.written_lsn::text, w.flushed_lsn::text, pg_catalog.pg_last_wal_replay_lsn()::text
  FROM (SELECT 1) AS one LEFT JOIN pg_catalog.pg_stat_wal_receiver AS w ON true $$;

-- pg_stat_replication with openGauss's 9.2-era column names and capitalised values (§7).
CREATE VIEW og_compat.pg_stat_replication AS
  SELECT s.pid, s.usesysid, s.usename, s.application_name, s.client_addr, s.client_hostname, s.client_port,
    s.backend_start, initcap(s.state) AS state, s.sent_lsn::text AS sender_sent_location,
    s.write_lsn::text AS receiver_write_location, s.flush_lsn::text AS receiver_flush_location,
    s.replay_lsn::text AS receiver_replay_location, s.sync_priority, initcap(s.sync_state) AS sync_state
  FROM pg_catalog.pg_stat_replication AS s;

-- most_available_sync controller (§4.2, §10.7.4), run every second by the engine's watcher. The engine
-- parses the configured synchronous_standby_names into og.sync_kind/og.sync_num/og.sync_list/
-- og.sync_members; while fewer listed standbys stream than required, this lowers the number to the
-- ones streaming (or clears the setting when none does) through og_sync.conf, and restores it after.
CREATE FUNCTION og_compat.sync_tick() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  configured text := og_compat.og_setting('synchronous_standby_names');
  wanted_num int := coalesce(nullif(og_compat.og_setting('sync_num'), '')::int, 0);
  members text[] := string_to_array(og_compat.og_setting('sync_members'), ',');
  streaming int;
  effective text;
BEGIN
  IF pg_catalog.pg_is_in_recovery() THEN
    RETURN 'in recovery';
  END IF;
  effective := configured;
  IF og_compat.og_bool('most_available_sync') AND wanted_num > 0 THEN
    SELECT count(*) INTO streaming FROM pg_catalog.pg_stat_replication AS s
      WHERE s.state = 'streaming' AND (s.application_name = ANY (members) OR '*' = ANY (members));
    IF streaming = 0 THEN
      effective := '';
    ELSIF streaming < wanted_num THEN
      effective := og_compat.og_setting('sync_kind') || ' ' || streaming || ' (' || og_compat.og_setting('sync_list') || ')';
    END IF;
  END IF;
  IF current_setting('synchronous_standby_names') IS DISTINCT FROM effective THEN
    EXECUTE format('COPY (SELECT %L) TO %L',
      CASE WHEN effective = configured THEN '# no override' ELSE format('synchronous_standby_names = %L', effective) END,
      current_setting('data_directory') || '/og_sync.conf');
    PERFORM pg_catalog.pg_reload_conf();
    RETURN 'set ' || effective;
  END IF;
  RETURN 'unchanged';
END $$;

-- A postgresql.conf string literal for a line written with COPY ... TO: COPY's text format doubles
-- backslashes (and writes newlines as \n), which the configuration scanner reads back, so only the
-- quotes are doubled here.
CREATE FUNCTION og_compat.conf_literal(v text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT '''' || replace(v, '''', '''''') || '''' $$;

-- Walreceiver channel cycling (§2.3, §4.1; docs/sandbox-engine.md). openGauss's walreceiver tries its
-- replconninfo channels in turn until one is the primary, whatever the others answer; libpq's
-- multi-host primary_conninfo stops at a peer that rejects it at authentication. On a standby with
-- two or more peers the engine writes every rotation of the peer order as og.channel_conninfo<k>
-- (rotation 0 is primary_conninfo). While the walreceiver has not been streaming for og.channel_retry
-- seconds (one attempt: connect_timeout 2 s + wal_retrieve_retry_interval 1 s), this moves
-- primary_conninfo to the next rotation through og_channel.conf (included after og_pg.conf; the
-- rotation is og.channel, no file meaning rotation 0) and reloads: PostgreSQL 15 restarts the
-- walreceiver with the new conninfo. A streaming walreceiver is left alone, and nothing is written
-- or reloaded unless the rotation changes. The down time is kept in the watcher's session.
CREATE FUNCTION og_compat.channel_tick() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n int := coalesce(nullif(og_compat.og_setting('channel_count'), '')::int, 0);
  k int := coalesce(nullif(og_compat.og_setting('channel'), '')::int, 0);
  retry interval := make_interval(secs => coalesce(nullif(og_compat.og_setting('channel_retry'), '')::int, 3));
  down_since text := coalesce(current_setting('og_tick.down_since', true), '');
  base text := og_compat.og_setting('channel_conninfo0');
  next int;
BEGIN
  IF NOT pg_catalog.pg_is_in_recovery() OR n < 2 THEN
    PERFORM pg_catalog.set_config('og_tick.down_since', '', false);
    IF og_compat.og_setting('channel') = '' THEN
      RETURN 'no channels';
    END IF;
    -- A rotation left over from another role or peer list (the engine drops it; this covers races).
    next := 0;
  ELSIF k < 0 OR k >= n OR (k > 0 AND og_compat.og_setting('channel_base') IS DISTINCT FROM base) THEN
    -- Written for another peer list (a reload raced the tick): back to the replconninfo order.
    next := 0;
  ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_stat_wal_receiver AS w WHERE w.status = 'streaming') THEN
    PERFORM pg_catalog.set_config('og_tick.down_since', '', false);
    RETURN 'streaming on rotation ' || k;
  ELSIF down_since = '' THEN
    PERFORM pg_catalog.set_config('og_tick.down_since', clock_timestamp()::text, false);
    RETURN 'down on rotation ' || k;
  -- Half a tick of tolerance: \watch runs on a 1 s grid, so the third tick after comes 3 s later.
  ELSIF clock_timestamp() - down_since::timestamptz < retry - interval '500 ms' THEN
    RETURN 'down on rotation ' || k;
  ELSE
    next := (k + 1) % n;
  END IF;
  EXECUTE format('COPY (SELECT unnest(%L::text[])) TO %L',
    CASE WHEN next = 0 THEN ARRAY['# rotation 0: primary_conninfo of og_pg.conf']
    ELSE ARRAY['og.channel = ' || og_compat.conf_literal(next::text),
               'og.channel_base = ' || og_compat.conf_literal(base),
               'primary_conninfo = ' || og_compat.conf_literal(og_compat.og_setting('channel_conninfo' || next))] END,
    current_setting('data_directory') || '/og_channel.conf');
  PERFORM pg_catalog.pg_reload_conf();
  PERFORM pg_catalog.set_config('og_tick.down_since', clock_timestamp()::text, false);
  RETURN 'rotation ' || next;
END $$;

-- The watcher's statement (cmd/after-start.sh), every second: each part acts only in its role.
CREATE FUNCTION og_compat.tick() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN og_compat.sync_tick() || '; ' || og_compat.channel_tick();
END $$;

ALTER DATABASE template1 SET search_path = og_compat, pg_catalog, "$user", public;
