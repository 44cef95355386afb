// Which parameter names gs_guc accepts and how it checks values (opengauss.md §5.1): PostgreSQL 15's
// own names, plus openGauss-only names that the engine keeps as `og.<name>` for PostgreSQL.
import { pg15Gucs } from '../pg15-gucs.ts';

export type GucType = 'bool' | 'integer' | 'real' | 'string' | 'enum';
export type GucInfo = { readonly name: string; readonly type: GucType; readonly enumValues: readonly string[]; readonly ogOnly: boolean };

const s = 'string';
const i = 'integer';
const b = 'bool';

// openGauss parameters PostgreSQL 15 does not have (opengauss.md §4, §10.1 and the 2.0 baseline of
// seed-operator.md §3.5), with their openGauss types. Enum values are listed where the engine checks them.
const ogOnly: Record<string, GucType | readonly string[]> = {
  ...Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`replconninfo${n + 1}`, s])),
  most_available_sync: b, keep_sync_window: i, remote_read_mode: ['off', 'non_authentication', 'authentication'],
  max_size_for_xlog_prune: i, archive_dest: s, checkpoint_segments: i, wal_keep_segments: i,
  password_encryption_type: i, session_timeout: i, max_process_memory: i, cstore_buffers: i,
  xloginsert_locks: i, advance_xlog_file_num: i, recovery_max_workers: i, lockwait_timeout: i,
  update_lockwait_timeout: i, instr_unique_sql_count: i, track_sql_count: b, enable_alarm: b,
  enable_codegen: b, enable_wdr_snapshot: b, audit_enabled: b, modify_initial_password: b,
  bbox_dump_path: s, pgxc_node_name: s, unix_socket_directory: s, enable_numa: b,
  sync_config_strategy: ['all_node', 'only_sync_node', 'none_node'], catchup2normal_wait_time: i,
  enable_thread_pool: b, thread_pool_attr: s, enable_slot_log: b, replication_type: i, enable_dcf: b,
  enable_incremental_checkpoint: b, incremental_checkpoint_timeout: i, pagewriter_sleep: i,
  enable_double_write: b, use_workload_manager: b, enable_memory_limit: b, local_bind_address: s,
  available_zone: s, data_replicate_buffer_size: i, walsender_max_send_size: i, enable_mix_replication: b,
  behavior_compat_options: s, job_queue_processes: i, enable_stream_replication: b, enable_opfusion: b,
  enable_global_plancache: b, enable_ustore: b, enable_copy_server_files: b, audit_directory: s,
  alarm_component: s, alarm_report_interval: i, enable_cbm_tracking: b, wal_file_init_num: i,
  pagewriter_thread_num: i, max_redo_log_size: i, enable_auto_clean_unique_sql: b, enable_prevent_job_task_startup: b,
  standby_shared_buffers_fraction: 'real', max_concurrent_autonomous_transactions: i, plog_merge_age: i,
  enable_resource_track: b, enable_instr_rt_percentile: b, enable_instance_metric_persistent: b,
  enable_logical_io_statistics: b, enable_page_lsn_check: b, enable_asp: b, enable_startwith_debug: b,
  dcf_ssl: b, ssl_cert_notify_time: i, wdr_snapshot_interval: i, enable_save_datachanged_timestamp: b,
  enable_user_metric_persistent: b, enable_bbox_dump: b, comm_max_stream: i, enable_default_ustore_table: b,
};

// Values PostgreSQL's pg_settings hides or lacks but openGauss accepts for PostgreSQL enums.
const extraEnumValues: Record<string, readonly string[]> = {
  synchronous_commit: ['remote_receive', 'true', 'false', 'yes', 'no', '1', '0'],
  wal_level: ['hot_standby', 'archive'],
};

function toInfo(name: string, type: GucType | readonly string[], ogOnlyName: boolean): GucInfo {
  if (typeof type === 'string') return { name, type, enumValues: [], ogOnly: ogOnlyName };
  return { name, type: 'enum', enumValues: type, ogOnly: ogOnlyName };
}

function buildCatalog(): Map<string, GucInfo> {
  const catalog = new Map<string, GucInfo>();
  for (const [name, vartype, , values] of pg15Gucs) {
    const type: GucType = vartype === 'enum' || vartype === 'bool' || vartype === 'integer' || vartype === 'real' ? vartype : 'string';
    const enumValues = [...(values ?? []), ...(extraEnumValues[name] ?? [])];
    catalog.set(name.toLowerCase(), { name: name.toLowerCase(), type, enumValues, ogOnly: false });
  }
  for (const [name, type] of Object.entries(ogOnly)) catalog.set(name, toInfo(name, type, true));
  return catalog;
}

const catalog = buildCatalog();
const pgNames = new Set(pg15Gucs.map(([name]) => name.toLowerCase()));

export function findGuc(name: string): GucInfo | undefined {
  return catalog.get(name.toLowerCase());
}

export function isPgGuc(name: string): boolean {
  return pgNames.has(name.toLowerCase());
}
