// INFO: the sections a Redis client or operator reads, with Redis's field names, plus one
// section of this project's own (crdt). Only figures the server really has are reported.
import os from 'node:os';

import { binding } from '../native';
import type { Server } from './server';
import { PACKAGE_VERSION, REDIS_VERSION } from './version';

type Fields = [string, string | number][];

function human(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v}B` : `${v.toFixed(2)}${units[i]}`;
}

function serverSection(s: Server): Fields {
  const now = Date.now();
  const uptime = Math.floor((now - s.startedAt) / 1000);
  return [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_mode', 'standalone'],
    ['raa_version', PACKAGE_VERSION],
    ['os', `${os.type()} ${os.release()} ${os.arch()}`],
    ['arch_bits', 64],
    ['multiplexing_api', 'libuv'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', s.runId],
    ['tcp_port', s.port],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', s.config.hz],
    ['configured_hz', s.config.hz],
    ['executable', process.argv[1] ?? ''],
    ['config_file', ''],
    ['io_threads_active', 0],
  ];
}

function clientsSection(s: Server): Fields {
  let maxInput = 0;
  let maxOutput = 0;
  for (const c of s.clients.values()) {
    maxInput = Math.max(maxInput, c.queryBufferLength);
    maxOutput = Math.max(maxOutput, c.socket.writableLength);
  }
  return [
    ['connected_clients', s.clients.size],
    ['cluster_connections', 0],
    ['maxclients', s.config.maxclients],
    ['client_recent_max_input_buffer', maxInput],
    ['client_recent_max_output_buffer', maxOutput],
    ['blocked_clients', 0],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', 0],
  ];
}

// used_memory: what the C allocator holds (the keyspace) plus the JS heap; rss: the process.
function memorySection(s: Server): Fields {
  const m = process.memoryUsage();
  const mallocBytes = binding.mallocInUse();
  const used = (mallocBytes > 0 ? mallocBytes : 0) + m.heapUsed;
  s.peakMemory = Math.max(s.peakMemory, used);
  return [
    ['used_memory', used],
    ['used_memory_human', human(used)],
    ['used_memory_rss', m.rss],
    ['used_memory_rss_human', human(m.rss)],
    ['used_memory_peak', s.peakMemory],
    ['used_memory_peak_human', human(s.peakMemory)],
    ['used_memory_js_heap', m.heapUsed],
    ['used_memory_native', mallocBytes],
    ['total_system_memory', os.totalmem()],
    ['total_system_memory_human', human(os.totalmem())],
    ['maxmemory', 0],
    ['maxmemory_human', '0B'],
    ['maxmemory_policy', 'noeviction'],
    ['mem_allocator', 'libc'],
  ];
}

function persistenceSection(): Fields {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['rdb_bgsave_in_progress', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
  ];
}

function statsSection(s: Server): Fields {
  const ks = s.keyspace.stats();
  return [
    ['total_connections_received', s.stats.connectionsReceived],
    ['total_commands_processed', ks.commands + s.stats.serverCommands],
    ['instantaneous_ops_per_sec', s.opsPerSecond()],
    ['total_net_input_bytes', s.stats.netInputBytes],
    ['total_net_output_bytes', s.stats.netOutputBytes],
    ['rejected_connections', s.stats.rejectedConnections],
    ['sync_full', s.replication.stats.syncFull],
    ['sync_partial_ok', s.replication.stats.syncPartialOk],
    ['sync_partial_err', s.replication.stats.syncPartialErr],
    ['expired_keys', ks.expiredDeleted],
    ['evicted_keys', 0],
  ];
}

function replicationSection(s: Server): Fields {
  const repl = s.replication;
  const now = Date.now();
  const link = repl.link;
  const out: Fields = [['role', link ? 'slave' : 'master']];
  if (link) {
    out.push(
      ['master_host', link.host],
      ['master_port', link.port],
      ['master_link_status', link.state === 'connected' ? 'up' : 'down'],
      ['master_last_io_seconds_ago', link.state === 'connected' ? Math.floor((now - link.lastIoAt) / 1000) : -1],
      ['master_sync_in_progress', link.state === 'sync' ? 1 : 0],
      ['slave_read_repl_offset', repl.appliedOffset()],
      ['slave_repl_offset', repl.appliedOffset()],
    );
    if (link.state === 'sync') {
      out.push(
        ['master_sync_total_bytes', link.transferSize],
        ['master_sync_read_bytes', link.transferRead],
        ['master_sync_left_bytes', link.transferSize >= 0 ? link.transferSize - link.transferRead : -1],
        ['master_sync_last_io_seconds_ago', Math.floor((now - link.lastIoAt) / 1000)],
      );
    }
    out.push(['slave_priority', 100], ['slave_read_only', 1], ['replica_announced', 1], ['master_link_stream_errors', link.streamErrors]);
  }
  out.push(['connected_slaves', repl.replicas.size]);
  let i = 0;
  for (const r of repl.replicas) {
    out.push([`slave${i++}`, `ip=${r.ip},port=${r.port},state=${r.state === 'online' ? 'online' : 'send_bulk'},offset=${r.ackOffset},lag=${r.lag(now)}`]);
  }
  const backlog = repl.backlogState();
  out.push(
    ['master_failover_state', repl.failover.state],
    ...(Object.entries(repl.ids.info()) as Fields),
    ['master_repl_offset', repl.masterReplOffset],
    ['repl_backlog_active', backlog ? 1 : 0],
    ['repl_backlog_size', s.config.replBacklogSize],
    ['repl_backlog_first_byte_offset', backlog ? backlog.firstByteOffset : 0],
    ['repl_backlog_histlen', backlog ? backlog.histlen : 0],
  );
  return out;
}

function cpuSection(): Fields {
  const u = process.cpuUsage();
  return [
    ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
    ['used_cpu_user', (u.user / 1e6).toFixed(6)],
  ];
}

function keyspaceSection(s: Server): Fields {
  const ks = s.keyspace.stats();
  return ks.keys > 0 ? [['db0', `keys=${ks.keys},expires=${Math.min(ks.volatileKeys, ks.keys)},avg_ttl=0`]] : [];
}

function crdtSection(s: Server): Fields {
  const ks = s.keyspace.stats();
  return [
    ['instance_id', ks.instanceId],
    ['stored_keys', ks.storedKeys],
    ['effects_emitted', ks.effectsEmitted],
    ['effects_applied', ks.effectsApplied],
    ['effect_batches_applied', ks.batchesApplied],
    ['snapshots_applied', ks.snapshotsApplied],
    ['counter_tombstones', ks.tombstones],
    ['tombstones_collected', ks.tombstonesCollected],
    ['context_cloud', ks.contextCloud],
    ['vector_clock', Object.entries(ks.vectorClock).map(([id, seq]) => `${id}:${seq}`).join(',')],
  ];
}

const SECTIONS: Record<string, (s: Server) => Fields> = {
  server: serverSection,
  clients: clientsSection,
  memory: memorySection,
  persistence: persistenceSection,
  stats: statsSection,
  replication: replicationSection,
  cpu: cpuSection,
  keyspace: keyspaceSection,
  crdt: crdtSection,
};
const DEFAULT = Object.keys(SECTIONS);
const TITLES: Record<string, string> = { cpu: 'CPU', crdt: 'CRDT' };

/** The INFO text for the requested section names (none: the default set). */
export function infoText(s: Server, requested: string[]): string {
  const names = new Set<string>();
  for (const r of requested.map((x) => x.toLowerCase())) {
    if (r === 'all' || r === 'everything' || r === 'default') DEFAULT.forEach((n) => names.add(n));
    else names.add(r);
  }
  if (requested.length === 0) DEFAULT.forEach((n) => names.add(n));
  const out: string[] = [];
  for (const name of DEFAULT.filter((n) => names.has(n))) {
    if (out.length) out.push('');
    out.push(`# ${TITLES[name] ?? name[0]!.toUpperCase() + name.slice(1)}`);
    for (const [k, v] of SECTIONS[name]!(s)) out.push(`${k}:${v}`);
  }
  return out.length ? out.join('\r\n') + '\r\n' : '';
}
