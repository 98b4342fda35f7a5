// Runs the benches and prints tables; writes bench/results/latest.json.
//   npx tsx bench/run.ts [keyspace] [memory] [server] [rdb] [backlog] [replication] [--quick] [--batch 100]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { machine } from './env';
import { runKeyspace, type Row } from './keyspace';
import { runMemory, type MemoryRow } from './memory';
import { runBacklogBench, type BacklogRow } from './backlog';
import { runRdbBench, type RdbRow } from './rdb';
import { runReplicationBench, type ReplicationResult } from './replication';
import { runServerBench, type ServerRow } from './server';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const batchAt = argv.indexOf('--batch');
const batchSize = batchAt >= 0 ? Number(argv[batchAt + 1]) : 100;
const picked = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--batch');
const want = (name: string) => picked.length === 0 || picked.includes(name);
if (picked.some((p) => !['keyspace', 'memory', 'server', 'rdb', 'backlog', 'replication'].includes(p)) || !(batchSize >= 1)) {
  console.error('usage: tsx bench/run.ts [keyspace] [memory] [server] [rdb] [backlog] [replication] [--quick] [--batch N]');
  process.exit(2);
}

const int = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : Math.round(n).toLocaleString('en-US'));
const fix = (n: number | undefined, d = 1) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function keyspaceReport(rows: Row[]): string {
  const single = (b: string) => rows.find((r) => r.bench === b && r.mode === 'exec')?.rate;
  const body = rows.map((r) => {
    const base = single(r.bench);
    const vs = base && r.unit === 'cmd/s' && r.mode !== 'exec' ? `${(r.rate / base).toFixed(1)}x` : '';
    const perCpu = r.cpu ? (r.rate * 100) / r.cpu : undefined;
    return [r.bench, r.mode, int(r.rate), r.unit, `±${fix(r.rme)}%`, fix(r.mbPerSec), vs, fix(r.cpu, 0), int(perCpu), r.note ?? ''];
  });
  const check = (label: string, bench: string, mode: string, target: number) => {
    const r = rows.find((x) => x.bench === bench && x.mode.startsWith(mode));
    if (!r || Number.isNaN(r.rate)) return `${label}: not measured`;
    const perCpu = r.cpu ? ` (per CPU-s ${int((r.rate * 100) / r.cpu)})` : '';
    return `${label}: ${int(r.rate)}${perCpu} = ${(r.rate / target).toFixed(2)}x of target ${int(target)}: ${r.rate >= target ? 'MET' : 'NOT MET'}`;
  };
  return [
    'rate: benchmark.js mean (commands; ± = its relative margin of error), or the median of timed rounds',
    '(bulk operations; ± = (slowest - fastest) / median, and the best round in the note)',
    'cpu%: this process\'s CPU time over wall time while measuring; well under 100 means other processes had the core;',
    'per CPU-s: rate x 100 / cpu% (what one fully available core would do, roughly; GC threads make it conservative)',
    table(['bench', 'mode', 'rate', 'unit', '±', 'MB/s', 'vs exec', 'cpu%', 'per CPU-s', 'note'], body),
    '',
    check('SET execMany', 'SET', 'execMany', 1e6),
    check('SET execResp', 'SET', 'execResp', 1e6),
    check('GET execMany', 'GET', 'execMany', 1e6),
    check('GET execResp', 'GET', 'execResp', 1e6),
    check('applyEffects 10k', 'applyEffects', '10k', 1e6),
    check('applyEffects 100k', 'applyEffects', '100k', 1e6),
  ].join('\n');
}

function memoryReport(rows: MemoryRow[]): string {
  const body = rows.map((r) => [
    r.dataset, int(r.count), r.unit, fix(r.oursRss), fix(r.oursHeapMB), fix(r.oursEstimate), fix(r.snapshot),
    fix(r.redisUsed), fix(r.redisRss), r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`, r.note ?? '',
  ]);
  const strings = rows.find((r) => r.dataset === 'strings');
  const verdict = strings?.ratio === undefined ? 'not measured' : `${strings.ratio.toFixed(2)}x ${strings.ratio <= 2 ? 'MET' : 'NOT MET'}`;
  return [
    'bytes per key/element; ours = RSS growth of a fresh process after GC (V8 heap growth shown apart, included in RSS);',
    'estimate = memoryUsage(); redis = INFO used_memory growth (and used_memory_rss growth); ratio = ours RSS / redis used_memory',
    table(['data set', 'count', 'unit', 'ours RSS', 'heap MB', 'estimate', 'snapshot', 'redis used', 'redis RSS', 'ratio', 'note'], body),
    '',
    `small strings, ours <= 2x redis: ${verdict}`,
  ].join('\n');
}

function serverReport(rows: ServerRow[]): string {
  const body = rows.map((r) => [
    r.test, r.pipeline === 1 ? 'no' : `-P ${r.pipeline}`, int(r.oursRps), int(r.redisRps), `${r.ratio.toFixed(2)}x`,
    int(r.floorRps), `${(r.floorRps / r.redisRps).toFixed(2)}x`,
    fix(r.oursP50, 3), fix(r.oursP99, 3), fix(r.redisP50, 3), fix(r.redisP99, 3),
    fix(r.oursCpuUs, 2), fix(r.redisCpuUs, 2), `${(r.oursCpuUs / r.redisCpuUs).toFixed(2)}x`,
  ]);
  const verdict = (pipeline: number, target: number) => {
    const ratios = rows.filter((r) => (r.pipeline > 1) === (pipeline > 1)).map((r) => r.ratio);
    const worst = Math.min(...ratios);
    return `${pipeline > 1 ? 'pipelined' : 'not pipelined'}: worst ${worst.toFixed(2)}x, target ${target}x: ${worst >= target ? 'MET' : 'NOT MET'}`;
  };
  return [
    `redis-benchmark -c 50 -r 100000 [-P 16], median of ${rows[0]?.rounds ?? 0} interleaved rounds; ratio = ours / redis rps; latencies in ms`,
    'cpu us = the server process\'s CPU time (user + system) per request during the test; cpu ratio = ours / redis (below 1: ours costs less)',
    'node floor: a Node server that answers +OK without parsing (bench/floor-server.ts), the ceiling of any server on Node sockets',
    table(['test', 'pipeline', 'ours rps', 'redis rps', 'ratio', 'node floor', 'floor/redis', 'ours p50', 'ours p99', 'redis p50', 'redis p99', 'ours cpu us', 'redis cpu us', 'cpu ratio'], body),
    '',
    verdict(16, 0.8),
    verdict(1, 0.9),
  ].join('\n');
}

function rdbReport(r: { rows: RdbRow[]; file: string; bytes: number; keys: number }): string {
  const body = r.rows.map((x) => [
    x.step, fix(x.seconds, 2), fix(x.mbPerSec, 0), int(x.keysPerSec), x.vsRedis === undefined ? '' : `${x.vsRedis.toFixed(2)}x`,
    String(x.rounds), x.rounds > 1 ? `${(x.spread * 100).toFixed(0)}%` : '',
  ]);
  const check = (step: string, target: number) => {
    const x = r.rows.find((y) => y.step.startsWith(step));
    if (!x?.vsRedis) return `${step}: not measured`;
    return `${step}: ${x.vsRedis.toFixed(2)}x redis-server's load, target ${target}x: ${x.vsRedis >= target ? 'MET' : 'NOT MET'}`;
  };
  return [
    `${path.basename(r.file)}: ${(r.bytes / 1e6).toFixed(1)} MB, ${int(r.keys)} keys, written by redis-server; vs redis = redis seconds / ours (median of rounds; spread = (max-min)/median)`,
    table(['step', 's', 'MB/s', 'keys/s', 'vs redis', 'rounds', 'spread'], body),
    '',
    check('parse (', 3),
    check('parse + load, fresh process, as `start` runs', 1),
  ].join('\n');
}

function backlogReport(rows: BacklogRow[]): string {
  const body = rows.map((r) => [r.op, int(r.chunk), int(r.oursMBs), int(r.memcpyMBs), `${r.ratio.toFixed(2)}x`]);
  const worst = Math.min(...rows.map((r) => r.ratio));
  return [
    '1 MB backlog; memcpy = Buffer.copy into a 1 MB ring with the same wrap-around (MB/s, median of 3 rounds)',
    table(['op', 'chunk B', 'ours MB/s', 'memcpy MB/s', 'ours / memcpy'], body),
    '',
    `worst ${worst.toFixed(2)}x of memcpy, target 0.5x: ${worst >= 0.5 ? 'MET' : 'NOT MET'}`,
  ].join('\n');
}

function replicationReport(r: ReplicationResult): string {
  const secs = (side: string) => r.sync.find((x) => x.side === side)?.seconds ?? NaN;
  const ours = secs('ours');
  const syncBody = r.sync.map((x) => [
    x.side, int(x.keys), fix(x.seconds, 3), x.samples.map((s) => s.toFixed(3)).join(' '),
    x.side === 'ours' || Number.isNaN(ours / x.seconds) ? '' : `${(ours / x.seconds).toFixed(2)}x`,
    x.errors.length ? `${x.errors.length} failed (below)` : '',
  ]);
  const syncVerdict = (side: string) => {
    const ratio = ours / secs(side);
    return Number.isNaN(ratio)
      ? `full sync, ours / ${side}: not measured`
      : `full sync, ours / ${side}: ${ratio.toFixed(2)}x, target <= 1.5x: ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`;
  };
  const pct = (x: number) => (Number.isNaN(x) ? '-' : `${(x * 100).toFixed(1)}%`);
  const writeBody = r.writes.map((w) => [
    w.side, w.pipeline === 1 ? 'no' : `-P ${w.pipeline}`, int(w.rps0), int(w.rps2), pct(w.loss),
    fix(w.cpuUs0, 2), fix(w.cpuUs2, 2), pct(w.cpuUs2 / w.cpuUs0 - 1), fix(w.replicaCpuUs, 2), int(w.maxLagBytes), int(w.maxCatchUpMs), w.error ? 'failed (below)' : '',
  ]);
  const lossVerdict = r.writes.filter((w) => w.side === 'ours').map((w) => {
    const label = `writes with 2 replicas, ours ${w.pipeline === 1 ? 'not pipelined' : `-P ${w.pipeline}`}`;
    return Number.isNaN(w.loss) ? `${label}: not measured` : `${label}: loss ${pct(w.loss)}, target < 10%: ${w.loss < 0.1 ? 'MET' : 'NOT MET'}`;
  });
  const endBody = r.end.map((e) => [
    e.side, int(e.masterReplOffset), e.slaves.map((s) => `${s.state} offset=${s.offset} lag=${s.lag}`).join('; '),
    e.replicaOffsets.map((o) => int(e.masterReplOffset - o)).join(' '),
    int(e.catchUpMs), int(e.masterKeys), e.replicaKeys.map((k) => int(k)).join(' '), e.match ? 'yes' : 'NO, MISMATCH',
    e.error ? 'failed (below)' : '',
  ]);
  const failures = [
    ...r.errors,
    ...r.sync.flatMap((x) => x.errors.map((e) => `full sync, ${x.side}, ${e}`)),
    ...r.writes.filter((w) => w.error && !r.errors.includes(w.error)).map((w) => `writes, ${w.side}, P=${w.pipeline}: ${w.error}`),
    ...r.end.filter((e) => e.error).map((e) => `end state, ${e.side}: ${e.error}`),
  ];
  return [
    `full sync of ${int(r.keys)} string keys (25-byte values): seconds from REPLICAOF until the replica shows link up, no sync in`,
    'progress and all keys (fresh replica each round, median of ' + r.syncRounds + ' interleaved rounds); "redis" runs with its defaults',
    '(repl-diskless-sync-delay 5: the master waits 5 s for more replicas), "redis delay 0" with that delay set to 0 on the master',
    table(['side', 'keys', 'median s', 'each round s', 'ours / this', 'errors'], syncBody),
    '',
    `loading the masters (redis-cli --pipe, untimed by the ratios): ${r.load.map((l) => `${l.side} ${fix(l.seconds, 2)} s`).join(', ')}`,
    syncVerdict('redis'),
    syncVerdict('redis delay 0'),
    '',
    `redis-benchmark -t set -c 50 -r 100000 [-P 16] (-n ${Object.entries(r.requests).map(([p, n]) => `${int(n)} for P=${p}`).join(', ')}),`,
    `median of ${r.writeRounds} interleaved rounds: a master alone (0) and another with 2 replicas online (2); loss = 1 - rps(2) / rps(0);`,
    'lag B = the most master_repl_offset - a replica\'s own slave_repl_offset right after a run; catch-up ms = the longest wait until',
    'both replicas reached the master\'s offset',
    'CPU µs/req: the master\'s CPU time (user + system) per request, alone (0) and with 2 replicas (2), and each replica\'s',
    '(mean of the 2) per request the master took, until caught up; master +CPU = what feeding 2 replicas adds to the master\'s',
    'CPU per request (a loss that no contention for the cores explains)',
    table(['side', 'pipeline', 'rps 0 repl', 'rps 2 repl', 'loss', 'CPU µs/req 0', 'CPU µs/req 2', 'master +CPU', 'replica µs/req', 'lag B', 'catch-up ms', 'error'], writeBody),
    '',
    ...lossVerdict,
    '',
    'end state: sampled on the master right after one more -P 16 run; keys counted after the replicas caught up',
    table(['side', 'master offset', 'master\'s slaveN lines', 'replicas behind B', 'catch-up ms', 'master keys', 'replica keys', 'same', 'error'], endBody),
    ...r.end.filter((e) => !e.match).map((e) => `!!! ${e.side}: replicas' key counts differ from the master's (or were not read)`),
    ...(failures.length ? ['', 'errors:', ...[...new Set(failures)].map((e) => `  ${e.trim().replace(/\n/g, '\n    ')}`)] : []),
  ].join('\n');
}

async function main(): Promise<void> {
  const m = machine();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const header = `${m.cpu} x${m.cores}, ${m.memGB} GB, ${m.os}; node ${m.node} (V8 ${m.v8}); redis ${m.redis ?? 'absent'}; ` +
    `native ${m.nativeBinary}; commit ${m.commit ?? '?'}; load avg at start ${load}${quick ? '; QUICK run' : ''}`;
  console.log(header);
  const progress = (r: object) => process.stderr.write(`  ${JSON.stringify(r)}\n`);
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: m, loadAvgAtStart: load, quick, batchSize };

  if (want('keyspace')) {
    const rows = await runKeyspace({ quick, batchSize }, progress);
    results.keyspace = rows;
    console.log(`\n== keyspace: in-process throughput, one core (batch ${batchSize}) ==\n${keyspaceReport(rows)}`);
  }
  if (want('memory')) {
    const rows = await runMemory({ quick }, progress);
    results.memory = rows;
    console.log(`\n== memory ==\n${memoryReport(rows)}`);
  }
  if (want('server')) {
    const rows = await runServerBench(quick);
    results.server = rows;
    console.log(`\n== server: redis-benchmark, ours vs redis-server ==\n${serverReport(rows)}`);
  }
  if (want('rdb')) {
    const r = await runRdbBench(quick, progress);
    results.rdb = r;
    console.log(`\n== rdb: reading and writing RDB files, ours vs redis-server ==\n${rdbReport(r)}`);
  }
  if (want('backlog')) {
    const rows = runBacklogBench(quick);
    results.backlog = rows;
    console.log(`\n== backlog: replication backlog append/read vs memcpy ==\n${backlogReport(rows)}`);
  }
  if (want('replication')) {
    const r = await runReplicationBench(quick, progress);
    results.replication = r;
    console.log(`\n== replication: full sync and writes with replicas, ours vs redis-server ==\n${replicationReport(r)}`);
  }
  results.loadAvgAtEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const file = path.join(__dirname, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const round = (_k: string, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(5)) : v);
  fs.writeFileSync(file, JSON.stringify(results, round, 1) + '\n');
  console.log(`\nload avg at end ${results.loadAvgAtEnd}; results in ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
