// The demo: three instances ("regions") in one process write concurrently, exchange their
// effects in scrambled order, and end with the same data. Prints each step.
import { Keyspace, type Reply } from '../keyspace';

type Print = (line: string) => void;

function show(reply: Reply): string {
  if (Buffer.isBuffer(reply)) return JSON.stringify(reply.toString());
  if (Array.isArray(reply)) return `[${reply.map(show).join(', ')}]`;
  return String(reply);
}

export function runConvergenceDemo(print: Print = console.log): boolean {
  const regions = ['us-east', 'eu-west', 'ap-south'];
  const instances = regions.map((_, i) => new Keyspace({ instanceId: i + 1 }));
  const run = (i: number, argv: string[]) => {
    const reply = instances[i].execMany([argv])[0];
    print(`  ${regions[i].padEnd(9)} > ${argv.join(' ')}  ->  ${show(reply)}`);
  };

  print('1. Everyone starts from the same data');
  run(0, ['SET', 'greeting', 'hello']);
  run(0, ['SADD', 'tags', 'red', 'green']);
  run(0, ['INCRBY', 'visits', '100']);
  const first = instances[0].drainEffects();
  instances[1].applyEffects(first);
  instances[2].applyEffects(first);

  print('2. A partition: each region writes without seeing the others');
  run(0, ['SET', 'greeting', 'hi from us-east']);
  run(1, ['SET', 'greeting', 'hi from eu-west']);
  run(0, ['INCR', 'visits']);
  run(1, ['INCRBY', 'visits', '5']);
  run(2, ['INCRBY', 'visits', '10']);
  run(1, ['DEL', 'tags']);
  run(2, ['SADD', 'tags', 'blue']);
  run(2, ['HSET', 'profile', 'name', 'Ada', 'lang', 'C++']);

  print('3. The partition heals: effects arrive out of order, some twice');
  const effects = instances.map((ks) => ks.drainEffects());
  for (let to = 0; to < 3; to++) {
    for (const from of [2, 1, 0, 2]) if (from !== to) instances[to].applyEffects(effects[from]);
  }

  print('4. Every region reads the same values');
  for (let i = 0; i < 3; i++) {
    const [greeting, visits, tags] = instances[i].execMany([
      ['GET', 'greeting'],
      ['GET', 'visits'],
      ['SMEMBERS', 'tags'],
    ]);
    const sortedTags = (tags as Buffer[]).map((t) => t.toString()).sort();
    print(`  ${regions[i].padEnd(9)} greeting=${show(greeting)} visits=${show(visits)} tags=${JSON.stringify(sortedTags)}`);
  }
  const digests = instances.map((ks) => ks.digest());
  const converged = digests.every((d) => d === digests[0]);
  print(`  digests: ${digests.join(' ')}`);
  print(converged ? '  converged: yes' : '  converged: NO');
  print('  (SET vs SET: last writer wins; INCRs add up: 100+1+5+10; DEL vs concurrent SADD: the add wins)');
  return converged;
}
