/**
 * `npm run transcript`, run as a user runs it (a child process) into a temporary file: it plays the
 * story on the real bot and writes the per-person transcript. Checked on what the fake Slack API recorded
 * (the `--json` record: every message with its recipient and its kind, matched to the outbox), and on the
 * Markdown: every person's section, full texts, nothing that changes from run to run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.ts';

interface Recorded {
  step: number;
  to: string;
  via: string;
  kind: string;
  method: string;
  error?: string;
  command?: string;
  metadata?: { event_type: string; event_payload: { reference: string; outcome: string; positions: Record<string, string> } };
}
interface Recording {
  references: Record<string, string>;
  steps: { n: number; actor?: string; does: string }[];
  outputs: Recorded[];
}

const ST = 'st';
let dir: string;
let md: string;
let rec: Recording;
let stdout: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-transcript-test-'));
  const r = await runBin('transcript', ['--out', join(dir, 't.md'), '--json', join(dir, 't.json')], {}, 290_000);
  stdout = r.stdout;
  if (r.code !== 0) throw new Error(`npm run transcript failed (${r.code}):\n${r.stderr}`);
  md = await readFile(join(dir, 't.md'), 'utf8');
  rec = JSON.parse(await readFile(join(dir, 't.json'), 'utf8')) as Recording;
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const of = (kind: string, where: Partial<Recorded> = {}) => rec.outputs.filter((o) => o.kind === kind && Object.entries(where).every(([k, v]) => (o as unknown as Record<string, unknown>)[k] === v));
const stepOf = (does: RegExp) => {
  const s = rec.steps.find((x) => does.test(x.does));
  if (!s) throw new Error(`no step ${does}`);
  return s.n;
};
const digestOf = (ref: string) => of('digest', { to: ST }).find((o) => o.metadata?.event_payload.reference === ref);

describe('npm run transcript', () => {
  it('plays every consultation to its end: consensus, no consensus, not endorsed and resent, two withdrawals, incomplete', () => {
    expect(stdout).toMatch(/: \d+ steps, \d+ messages, \d+ s\n$/);
    const { A, B, C, D, E, F } = rec.references;
    expect(rec.references['C′']).toMatch(/^CRM-2027-\d{3}$/);
    expect(digestOf(A!)?.metadata?.event_payload.outcome).toBe('consensus');
    expect(digestOf(B!)?.metadata?.event_payload).toMatchObject({ outcome: 'no_consensus', positions: { CA: 'object' } });
    expect(digestOf(C!)?.metadata?.event_payload.outcome).toBe('not_endorsed');
    expect(digestOf(D!)?.metadata?.event_payload).toMatchObject({ outcome: 'withdrawn', positions: { CR: 'support', CA: 'abstain' } });
    expect(digestOf(E!)?.metadata?.event_payload.outcome).toBe('withdrawn');
    expect(digestOf(F!)?.metadata?.event_payload).toMatchObject({ outcome: 'incomplete', positions: { NI: 'none' } });
    expect(digestOf(A!)?.metadata?.event_payload.positions).toMatchObject({ US: 'abstain', BZ: 'abstain', NI: 'support', DO: 'support' });
    expect(digestOf(rec.references['C′']!)).toBeUndefined(); // still open: in the Troika's hands
    expect(md).toContain(`supersedes ${C}`);
  });

  it('every kind of message reached someone, as the fake Slack API recorded it', () => {
    const sent = (kind: string) => rec.outputs.filter((o) => o.kind === kind && o.via !== 'undelivered');
    for (const kind of ['troika_request', 'member_request', 'card_update', 'reminder', 'extension_notice', 'result_notice', 'status', 'digest', 'weekly_digest', 'dead_letter', 'home', 'modal', 'form_notice', 'reply']) {
      expect(sent(kind).length, kind).toBeGreaterThan(0);
    }
    // Reminders from the real remind job: the Troika one to El Salvador, the member ones to the two countries still silent.
    expect(of('reminder').map((o) => o.to).sort()).toEqual(['U0DO0000001', 'U0NI0000001', 'U0SV0000001']);
    // The extension told every Member Country focal point (17 with Slack).
    expect(new Set(of('extension_notice').map((o) => o.to)).size).toBe(17);
    // Channel-only kinds went to the ST channel and nowhere else; the live status also to the PPT's focal points.
    for (const kind of ['digest', 'weekly_digest', 'dead_letter']) expect(of(kind).every((o) => o.to === ST), kind).toBe(true);
    expect(new Set(of('status').filter((o) => o.command === undefined).map((o) => o.to))).toEqual(new Set([ST, 'U0PA0000001', 'U0PA0000002']));
    // The audit record: one PDF shared in the ST channel per ended consultation, with the digest.
    expect(rec.outputs.filter((o) => o.kind === 'file').map((o) => o.to)).toEqual(Array(6).fill(ST));
    // A Troika request for changes reached the PPT and the ST channel.
    expect(new Set(of('troika_feedback').map((o) => o.to))).toEqual(new Set([ST, 'U0PA0000001', 'U0PA0000002']));
    expect(of('weekly_digest')).toHaveLength(1);
    expect(of('digest')).toHaveLength(6);
    // The undeliverable message: Slack refused it, and the ST channel was told in the same step.
    const lost = rec.outputs.filter((o) => o.via === 'undelivered');
    expect(lost).toEqual([expect.objectContaining({ to: 'U0NI0000001', kind: 'member_request', error: 'user_not_found' })]);
    expect(of('dead_letter')[0]!.step).toBe(lost[0]!.step);
    // Nothing to the observer but the answers to their own requests.
    expect(rec.outputs.filter((o) => o.to === 'U0JM0000001').map((o) => o.kind).sort()).toEqual(['home', 'reply']);
  });

  it('the answers to /crm ayuda, estado, lista and plazo, the Home tab and the refusals are private replies to the one who asked', () => {
    const replies = of('reply');
    for (const [command, who] of [
      ['help', 'U0PA0000001'],
      ['help', 'U0US0000001'],
      ['status', 'U0CR0000001'],
      ['status', 'U0CA0000001'],
      ['list', 'U0ST0000001'],
      ['list', 'U0ST0000002'],
      ['deadline', 'U0PA0000001'],
      ['deadline', 'U0ST0000002'],
    ]) {
      expect(replies.some((o) => o.command === command && o.to === who), `${command} to ${who}`).toBe(true);
    }
    expect(of('home').map((o) => o.to).sort()).toEqual(['U0DO0000001', 'U0JM0000001', 'U0ST0000002', 'U0US0000001']);
    // Refusals: the observer's /crm consulta, the stale button, another country's card, a member's /crm prorrogar.
    for (const [step, who] of [
      [stepOf(/^\/crm consulta$/), 'U0JM0000001'],
      [stepOf(/on the card of version 1/), 'U0SV0000001'],
      [stepOf(/a copy of Mexico’s Troika card/), 'U0US0000001'],
    ] as const) {
      expect(replies.some((o) => o.step === step && o.to === who), `step ${step} answered ${who} privately`).toBe(true);
    }
    // A refused /crm prorrogar is said once, in the modal it opened, not again in the conversation.
    const refusedExtend = rec.steps.filter((s) => s.does.startsWith('/crm prorrogar')).at(-1)!;
    const toLuis = rec.outputs.filter((o) => o.step === refusedExtend.n && o.to === 'U0CR0000001');
    expect(toLuis.filter((o) => o.kind === 'reply')).toEqual([]);
    expect(toLuis.filter((o) => o.kind === 'modal')).toHaveLength(2); // "Loading…", then the refusal in its place
    const luis = md.slice(md.indexOf('### Luis Mora Solís'), md.indexOf('### ', md.indexOf('### Luis Mora Solís') + 4));
    expect(luis.split('Solo los puntos focales de la Presidencia Pro Tempore y el personal').length - 1).toBe(1);
  });

  it('the Markdown: one section per person and the ST channel, full texts, nothing run-specific', () => {
    for (const name of ['Itzel Castillo', 'Fernanda Ríos', 'Rodrigo Alvarado', 'Marisol Young', 'Jennifer Walsh', 'Carlos Medina', 'Ernesto Baltodano', 'Ana Rojas Vargas', 'Daniel Brenes', 'Andre Campbell']) {
      expect(md).toMatch(new RegExp(`^### ${name} — `, 'm'));
    }
    // Each person's platform (everyone in this story is on Slack; npm run demo mixes Slack and Teams).
    expect(md).toMatch(/^### Marisol Young — Belize · Slack · en · America\/Belize$/m);
    expect(md.match(/^### .* · Slack · (es|en) · /gm)?.length).toBe(md.match(/^### /gm)?.length);
    expect(md).toMatch(/^## The ST channel in Slack \(C0ST0000001 · es\)$/m);
    // The whole proposal, never cut: the last words of A's second version, in an English reader's section.
    const marisol = md.slice(md.indexOf('### Marisol Young'), md.indexOf('### ', md.indexOf('### Marisol Young') + 4));
    expect(marisol.replace(/\n│ > /g, ' ')).toContain('protection of unaccompanied children and adolescents.');
    expect(md).toContain('metadata crm_consultation_closed: {"outcome":"consensus"');
    // Buttons by their label.
    expect(md).toContain('[ Support ] [ Object ] [ Abstain ]');
    expect(md).toContain('[ Aprobar circulación ] [ Solicitar cambios ] [ Objetar ]');
    // Nothing that changes from run to run.
    expect(md).not.toMatch(/127\.0\.0\.1:\d/);
    expect(md).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(md).not.toMatch(/\b20(2[0-6])-\d\d-\d\d/); // the story's dates are 2027
    expect(md).not.toContain('xoxb-');
  });
});
