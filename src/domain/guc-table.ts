// Data tables of openGauss parameter names. Kept as data, not logic, with their sources.

/**
 * Parameters whose change needs a restart (openGauss context "postmaster"). Source: the list of
 * 116 names openGauss-operator 2.0 hard-codes (utils/dbproperties.go, generatePostmasterProps),
 * which it reads from openGauss 5.0's GUC tables; names here are lower case because gs_guc and
 * openGauss match names case-insensitively (2.0 spelled UDFWorkerMemHardLimit and
 * enableSeparationOfDuty in mixed case). ADDED_POSTMASTER_GUCS below lists our additions.
 */
export const POSTMASTER_GUCS_FROM_2_0: readonly string[] = [
  'advance_xlog_file_num', 'alarm_component', 'allow_system_table_mods', 'asp_log_directory', 'asp_sample_num',
  'audit_data_format', 'audit_directory', 'autovacuum_freeze_max_age', 'autovacuum_max_workers', 'available_zone',
  'bbox_blanklist_items', 'bgwriter_thread_num', 'catchup2normal_wait_time', 'cn_send_buffer_size', 'comm_control_port',
  'comm_max_receiver', 'comm_memory_pool', 'comm_memory_pool_percent', 'comm_quota_size', 'comm_sctp_port',
  'comm_sender_buffer_size', 'comm_tcp_mode', 'comm_usable_memory', 'config_file', 'cstore_buffers',
  'data_directory', 'data_replicate_buffer_size', 'data_sync_retry', 'elastic_search_ip_addr', 'enable_alarm',
  'enable_default_cfunc_libpath', 'enable_delta_store', 'enable_double_write', 'enable_ffic_log', 'enable_global_plancache',
  'enable_incremental_checkpoint', 'enable_memory_limit', 'enable_mix_replication', 'enable_nonsysadmin_execute_direct', 'enable_orc_cache',
  'enable_page_lsn_check', 'enable_stateless_pooler_reuse', 'enable_thread_pool', 'enableseparationofduty', 'event_source',
  'external_pid_file', 'force_promote', 'hba_file', 'hot_standby', 'ident_file',
  'job_queue_processes', 'lastval_supported', 'listen_addresses', 'local_bind_address', 'local_syscache_threshold',
  'logging_collector', 'max_cached_tuplebufs', 'max_changes_in_memory', 'max_compile_functions', 'max_concurrent_autonomous_transactions',
  'max_connections', 'max_files_per_process', 'max_inner_tool_connections', 'max_locks_per_transaction', 'max_pred_locks_per_transaction',
  'max_prepared_transactions', 'max_process_memory', 'max_replication_slots', 'max_resource_package', 'max_wal_senders',
  'memorypool_enable', 'memorypool_size', 'mot_config_file', 'numa_distribute_mode', 'pagewriter_thread_num',
  'perf_directory', 'pgxc_node_name', 'query_log_directory', 'recovery_max_workers', 'recovery_parallelism',
  'recovery_parse_workers', 'recovery_redo_workers', 'remote_read_mode', 'replication_type', 'shared_buffers',
  'shared_preload_libraries', 'ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_ciphers',
  'ssl_crl_file', 'ssl_key_file', 'string_hash_compatible', 'support_extended_features', 'sync_config_strategy',
  'sysadmin_reserved_connections', 'thread_pool_attr', 'track_activity_query_size', 'transparent_encrypt_kms_region', 'transparent_encrypt_kms_url',
  'transparent_encrypted_string', 'udf_memory_limit', 'udfworkermemhardlimit', 'unix_socket_directory', 'unix_socket_group',
  'unix_socket_permissions', 'use_elastic_search', 'wal_buffers', 'wal_file_init_num', 'wal_level',
  'wal_log_hints', 'wal_receiver_buffer_size', 'wal_writer_cpu', 'walsender_max_send_size', 'xlog_idle_flushes_before_sleep',
  'xloginsert_locks',
];

/**
 * Our additions: postmaster-level in openGauss (enable_ustore, enable_dcf) or in the PostgreSQL
 * base both share (max_worker_processes, superuser_reserved_connections, huge_pages,
 * track_commit_timestamp, archive_mode in the PostgreSQL 15 sandbox). Restarting for a parameter
 * that only needed a reload costs a switchover; reloading one that needed a restart silently does
 * nothing, so when in doubt a name belongs here.
 */
export const ADDED_POSTMASTER_GUCS: readonly string[] = [
  'enable_ustore', 'enable_dcf', 'max_worker_processes', 'superuser_reserved_connections', 'huge_pages',
  'track_commit_timestamp', 'archive_mode', 'enable_numa',
];

/**
 * Keys refused in spec.config once a cluster exists (seed-operator.md §2.4): fixed at initdb or
 * owned by the operator (port is dbport).
 */
export const FORBIDDEN_GUCS: readonly string[] = [
  'wal_segment_size', 'integer_datetimes', 'update_process_title', 'current_logic_cluster', 'instr_unique_sql_track_type',
  'sql_compatibility', 'max_function_args', 'enable_adio_function', 'server_version', 'server_version_num',
  'wal_block_size', 'max_identifier_length', 'block_size', 'lc_collate', 'lc_ctype',
  'server_encoding', 'max_index_keys', 'segment_size', 'percentile', 'port',
];

/**
 * Parameters the operator sets itself on every member (replication wiring and sync policy). A
 * spec.config entry for one of them is ignored (and reported), except synchronous_commit, whose
 * user value is honoured by chooseSynchronousCommit.
 */
export const MANAGED_GUCS: readonly string[] = [
  ...Array.from({ length: 8 }, (_, i) => `replconninfo${i + 1}`),
  'application_name', 'synchronous_standby_names', 'most_available_sync', 'max_size_for_xlog_prune',
];
