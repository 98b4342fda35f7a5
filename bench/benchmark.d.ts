// The part of benchmark.js (no @types package installed) that keyspace.ts uses.
declare module 'benchmark' {
  class Benchmark {
    constructor(name: string, fn: () => void, options?: { maxTime?: number; minSamples?: number });
    run(): this;
    hz: number;
    error?: Error;
    stats: { rme: number; sample: number[] };
  }
  export = Benchmark;
}
