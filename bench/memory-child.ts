// Run in a fresh process by memory.ts: loads one data set (argv[2], first argv[3] items)
// into a Keyspace and prints one JSON line with the RSS and V8 heap growth it caused, after a full GC.
import { Keyspace, ReplyError } from '../lib';
import { batch, datasets } from './commands';
import { gc } from './env';

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
};

async function main(): Promise<void> {
  const set = datasets[process.argv[2]!];
  if (!set) throw new Error(`unknown data set ${process.argv[2]}`);
  const count = Number(process.argv[3] ?? set.count);
  const ks = new Keyspace({ instanceId: 1 });
  ks.exec(['EXISTS', 'warm-up']); // first-call costs go before the baseline
  // Make (and drop) the same JS garbage the load makes, so V8's young generation has
  // grown to its working size before the baseline: its growth is not our memory.
  for (let i = 0; i < count; i += 1000) batch(set.cmd, i, Math.min(count, i + 1000));
  await settle();
  const before = process.memoryUsage();
  for (let i = 0; i < count; i += 1000) {
    const err = ks.execMany(batch(set.cmd, i, Math.min(count, i + 1000))).find((r) => r instanceof ReplyError);
    if (err) {
      console.log(JSON.stringify({ error: (err as ReplyError).message }));
      return;
    }
    ks.drainEffects(); // effects go to peers as they are made; none are kept
  }
  await settle();
  const after = process.memoryUsage();
  const stats = ks.stats();
  console.log(
    JSON.stringify({
      rss: after.rss - before.rss,
      heap: after.heapTotal - before.heapTotal,
      external: after.external - before.external,
      estimate: ks.memoryUsage(),
      keys: stats.keys,
      snapshotBytes: ks.snapshot().length,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
