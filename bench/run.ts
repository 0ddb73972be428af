/**
 * `npm run bench`: runs every benchmark in sequence and prints its figures.
 * Each bench module exports `run(): Promise<void>` and prints its own lines.
 * Pass names to run a subset: `npm run bench -- domain calendar`.
 */
const all = ['domain', 'calendar', 'store', 'bullmq-bare', 'jobs', 'reconcile', 'slack', 'timings', 'slack-lead', 'meetings', 'teams', 'scale', 'startup'] as const;

const wanted = process.argv.slice(2);
const names = wanted.length ? all.filter((n) => wanted.includes(n)) : all;

for (const name of names) {
  console.log(`\n== ${name} ==`);
  const mod = (await import(`./${name}.bench.ts`)) as { run: () => Promise<void> };
  await mod.run();
}
