/**
 * `npm run transcript`: plays the story (./story.ts) on the real bot (./world.ts) and writes
 * docs/demo-transcript.md (./render.ts) from what the fake Slack API recorded (./record.ts).
 *
 *   const r = await writeTranscript({ out: 'docs/demo-transcript.md', json: '/tmp/kinds.json' });
 *
 * `json` (optional) writes the recorded outputs without their text: step, recipient, how and what kind,
 * for tests that check every kind of message was seen.
 */
import { writeFile } from 'node:fs/promises';
import { readOutputs, type Output } from './record.ts';
import { renderTranscript } from './render.ts';
import { playStory, STORY_START } from './story.ts';
import { startWorld, type Step } from './world.ts';

export interface TranscriptResult {
  markdown: string;
  outputs: Output[];
  steps: Step[];
  references: Record<string, string>;
  seconds: number;
}

export interface TranscriptOptions {
  out?: string;
  json?: string;
  logLevel?: string;
  /** Progress lines (stderr by default). */
  progress?: (line: string) => void;
}

export async function writeTranscript(options: TranscriptOptions = {}): Promise<TranscriptResult> {
  const t0 = performance.now();
  const progress = options.progress ?? ((l: string) => process.stderr.write(`${l}\n`));
  const w = await startWorld({ start: STORY_START, progress, ...(options.logLevel ? { logLevel: options.logLevel } : {}) });
  try {
    const references = await playStory(w);
    const prisma = w.bot.engine.db.prisma;
    const outbox = await prisma.outboxMessage.findMany({ select: { dedupeKey: true, kind: true, createdAt: true, consultationId: true, status: true } });
    const rows = await prisma.consultation.findMany({ orderBy: { reference: 'asc' } });
    const outputs = readOutputs({
      steps: w.steps,
      slack: w.slack,
      people: w.people,
      stChannel: w.stChannel,
      outbox,
      references: new Map(rows.map((r) => [r.id, r.reference])),
      triggeredBy: w.triggeredBy,
    });
    const letter = new Map(Object.entries(references).map(([k, v]) => [v, k]));
    const consultations = rows.map((r) => {
      const snap = r.snapshot as { supersedes?: string };
      return { letter: letter.get(r.reference) ?? '', reference: r.reference, title: r.title, stage: r.stage, outcome: r.outcome, ...(snap.supersedes ? { supersedes: snap.supersedes } : {}) };
    });
    const seconds = Math.round((performance.now() - t0) / 1000);
    const markdown = renderTranscript({ steps: w.steps, outputs, people: w.people, directory: w.directory, consultations, seconds });
    if (options.out) await writeFile(options.out, markdown);
    if (options.json) {
      const slim = outputs.map(({ blocks: _b, view: _v, text: _t, ...o }) => o);
      await writeFile(options.json, `${JSON.stringify({ references, steps: w.steps.map(({ privates: _p, ...s }) => s), outputs: slim }, null, 1)}\n`);
    }
    return { markdown, outputs, steps: w.steps, references, seconds };
  } finally {
    await w.stop();
  }
}
