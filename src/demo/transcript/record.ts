/**
 * What each person (and the ST channel) received, read back from what the fake Slack API recorded, the
 * acks and the response_urls, step by step, each message named by its kind: the outbox row it came from
 * (matched through the `crm_outbox_key` metadata every posted message carries, or the digest's own
 * metadata), or what the interaction showed (a modal, a private reply, the Home tab, a form's notice).
 *
 * Order within a step and recipient is made stable, so that two runs give the same transcript: first what
 * the person's own request showed them (in the order it happened), then the messages delivered through
 * the outbox, by the order the bot wrote them (row time, the consultation's event sequence, kind), then the
 * files shared (the record and the status picture, which the deliver job sends after the digest), as shared.
 */
import type { FakeCall, FakeSlackApi } from '../fake-slack-api.ts';
import { outboxKeyHash } from '../../adapters/slack/slack-notifier.ts';
import { parseCommand } from '../../commands/catalogue.ts';
import type { Person, Step } from './world.ts';

export const ST = 'st';

export type Via = 'dm' | 'channel' | 'update' | 'modal' | 'home' | 'reply' | 'form' | 'file' | 'undelivered';

export interface Output {
  step: number;
  /** A Slack user id, or `st` for the ST channel. */
  to: string;
  via: Via;
  /** Outbox kind (troika_request, member_request, reminder, …) or what an interaction showed (modal, home, reply, form_notice, form_errors). */
  kind: string;
  /** The Slack method (or ack, response_url) that carried it. */
  method: string;
  blocks?: unknown[];
  view?: Record<string, unknown>;
  text?: string;
  metadata?: { event_type: string; event_payload: unknown };
  /** chat.update: the step and position of the message it updated. */
  updates?: { step: number; index: number };
  /** undelivered: the error Slack answered. */
  error?: string;
  /** Slack ts of a posted message (to match later updates); not printed. */
  ts?: string;
  channel?: string;
  /** Set for replies to a `/crm` command: the command's name (help, status, list, deadline, …). */
  command?: string;
  /** A file shared (files.completeUploadExternal): its title and file name (never its bytes). */
  file?: { title: string; filename: string };
}

export interface OutboxRow {
  dedupeKey: string;
  kind: string;
  createdAt: Date;
  consultationId: string | null;
  status: string;
}

const KIND_RANK = ['card_update', 'status', 'troika_request', 'revision_notice', 'member_request', 'extension_notice', 'reminder', 'result_notice', 'digest', 'weekly_digest', 'dead_letter'];
const rank = (kind: string) => (KIND_RANK.includes(kind) ? KIND_RANK.indexOf(kind) : KIND_RANK.length);
/** The consultation's event sequence in a dedupe key `<consultation>:<seq>:<kind>:<address>`. */
const seqOf = (key: string) => Number(key.split(':')[1]) || 0;

interface Pending extends Output {
  /** Sort key within the step and recipient. */
  sort: [number, number, number, number, string];
}

export function readOutputs(input: {
  steps: readonly Step[];
  slack: FakeSlackApi;
  people: ReadonlyMap<string, Person>;
  stChannel: string;
  outbox: readonly OutboxRow[];
  /** Consultation id → reference (to find the digest's row by its metadata's reference). */
  references: ReadonlyMap<string, string>;
  triggeredBy: (triggerId: string) => string | undefined;
}): Output[] {
  const { slack, people, stChannel } = input;
  const byHash = new Map(input.outbox.map((r) => [outboxKeyHash(r.dedupeKey), r]));
  const digestRow = (reference: string) => input.outbox.find((r) => r.kind === 'digest' && r.consultationId && input.references.get(r.consultationId) === reference);
  const byChannel = new Map<string, string>();
  for (const p of people.values()) {
    byChannel.set(p.slack, p.slack);
    byChannel.set(slack.dmChannelOf(p.slack), p.slack);
  }
  byChannel.set(stChannel, ST);
  const filenames = new Map<string, string>(); // file id → name (files.getUploadURLExternal)
  const viewOwner = new Map<string, string>(); // view id → user
  const posted = new Map<string, { step: number; to: string; index: number }>(); // channel/ts → message
  const out: Output[] = [];

  for (const step of input.steps) {
    const command = step.does.startsWith('/crm ') ? parseCommand(step.does.slice(5)).name : undefined;
    const own: Pending[] = [];
    const delivered: Pending[] = [];
    const calls = slack.calls.slice(step.calls[0], step.calls[1]);
    let i = 0;
    for (const c of calls) {
      i += 1;
      const row = rowOf(c, byHash, digestRow);
      const a = c.args as { channel?: string; users?: string; ts?: string; blocks?: unknown[]; text?: string; metadata?: Output['metadata']; view?: Record<string, unknown>; trigger_id?: string; view_id?: string; user_id?: string };
      const ok = c.response?.ok === true;
      const base = { step: step.n, method: c.method };
      const sortOf = (r: OutboxRow | undefined): Pending['sort'] => (r ? [1, r.createdAt.getTime(), seqOf(r.dedupeKey), rank(r.kind), r.dedupeKey.split(':').slice(2).join(':')] : [1, 0, 0, rank(''), String(i).padStart(6, '0')]);
      if (c.method === 'chat.postMessage' || c.method === 'chat.update') {
        const to = byChannel.get(String(a.channel ?? ''));
        if (!to) continue;
        const kind = row?.kind ?? (a.metadata?.event_type === 'crm_consultation_closed' ? 'digest' : 'message');
        if (!ok) {
          delivered.push({ ...base, to, via: 'undelivered', kind, error: String(c.response?.error ?? 'failed'), sort: sortOf(row) });
          continue;
        }
        const channel = String((c.response?.channel as string | undefined) ?? a.channel);
        const meta = a.metadata && a.metadata.event_type !== 'crm_outbox' ? { metadata: a.metadata } : {};
        const body = { ...base, to, kind, ...(a.blocks ? { blocks: a.blocks } : {}), ...(a.text ? { text: a.text } : {}), ...meta, channel, sort: sortOf(row) };
        if (c.method === 'chat.postMessage') delivered.push({ ...body, via: to === ST ? 'channel' : 'dm', ts: String(c.response?.ts ?? '') });
        else delivered.push({ ...body, via: 'update', ts: String(a.ts ?? '') });
      } else if (c.method === 'conversations.open' && !ok) {
        const to = byChannel.get(String(a.users ?? '').split(',')[0] ?? '');
        if (to) delivered.push({ ...base, to, via: 'undelivered', kind: 'message', error: String(c.response?.error ?? 'failed'), sort: sortOf(undefined) });
      } else if ((c.method === 'views.open' || c.method === 'views.update') && ok) {
        const id = (c.response?.view as { id?: string } | undefined)?.id ?? a.view_id;
        const to = c.method === 'views.open' ? input.triggeredBy(String(a.trigger_id ?? '')) : viewOwner.get(String(a.view_id ?? ''));
        if (!to) continue;
        if (id) viewOwner.set(id, to);
        own.push({ ...base, to, via: 'modal', kind: 'modal', ...(a.view ? { view: a.view } : {}), sort: [0, c.at.getTime(), i, 0, ''] });
      } else if (c.method === 'files.getUploadURLExternal' && ok) {
        filenames.set(String(c.response?.file_id ?? ''), String(c.args.filename ?? ''));
      } else if (c.method === 'files.completeUploadExternal' && ok) {
        const to = byChannel.get(String(c.args.channel_id ?? ''));
        const files = (Array.isArray(c.args.files) ? c.args.files : []) as { id?: string; title?: string }[];
        if (!to) continue;
        for (const f of files) {
          const text = typeof c.args.initial_comment === 'string' ? c.args.initial_comment : '';
          delivered.push({ ...base, to, via: 'file', kind: 'file', text, file: { title: String(f.title ?? ''), filename: filenames.get(String(f.id)) ?? '' }, sort: [2, c.at.getTime(), i, 0, ''] });
        }
      } else if (c.method === 'views.publish' && ok) {
        own.push({ ...base, to: String(a.user_id), via: 'home', kind: 'home', ...(a.view ? { view: a.view } : {}), sort: [0, c.at.getTime(), i, 0, ''] });
      }
    }
    step.privates.forEach((p, j) => {
      const b = p.body as { response_action?: string; errors?: Record<string, string>; view?: Record<string, unknown>; text?: string; blocks?: unknown[] };
      const sort: Pending['sort'] = [0, Number.MAX_SAFE_INTEGER, j, 0, ''];
      if (b.response_action === 'errors') own.push({ step: step.n, to: p.to, via: 'form', kind: 'form_errors', method: 'ack', text: Object.values(b.errors ?? {}).join('\n'), sort });
      else if (b.response_action === 'update' && b.view) own.push({ step: step.n, to: p.to, via: 'modal', kind: 'form_notice', method: 'ack', view: b.view, sort });
      else if (b.response_action) return;
      else if (b.text || b.blocks) {
        own.push({ step: step.n, to: p.to, via: 'reply', kind: 'reply', method: p.via, ...(b.blocks ? { blocks: b.blocks } : {}), ...(b.text ? { text: b.text } : {}), ...(command ? { command } : {}), sort });
      }
    });
    // Acks and response_url posts arrive after the calls they answer: keep the request's own order.
    own.sort((x, y) => cmp(x.sort, y.sort));
    delivered.sort((x, y) => cmp(x.sort, y.sort));
    for (const o of [...own, ...delivered]) {
      const { sort: _sort, ...output } = o;
      void _sort;
      if (output.via === 'update' && output.channel && output.ts) {
        const original = posted.get(`${output.channel}/${output.ts}`);
        if (original) output.updates = { step: original.step, index: original.index };
      }
      out.push(output);
      if ((output.via === 'dm' || output.via === 'channel') && output.channel && output.ts) {
        posted.set(`${output.channel}/${output.ts}`, { step: step.n, to: output.to, index: out.filter((x) => x.to === output.to).length });
      }
    }
  }
  return out;
}

function rowOf(c: FakeCall, byHash: Map<string, OutboxRow>, digestRow: (reference: string) => OutboxRow | undefined): OutboxRow | undefined {
  const md = c.args.metadata as { event_type?: string; event_payload?: { crm_outbox_key?: string; reference?: string } } | undefined;
  if (md?.event_type === 'crm_outbox' && md.event_payload?.crm_outbox_key) return byHash.get(md.event_payload.crm_outbox_key);
  if (md?.event_type === 'crm_consultation_closed' && md.event_payload?.reference) return digestRow(md.event_payload.reference);
  return undefined;
}

function cmp(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  }
  return 0;
}
