/**
 * The console's transport: routes on the one HTTP server (src/http/server.ts).
 *
 *   GET  /console                      the page: the person picker (`<select name="person">`), the command box
 *                                      (`name="command"`), the seat's cards
 *   GET  /console/assets/<file>        the page's script and style, and Microsoft's Adaptive Cards renderer
 *                                      (the `adaptivecards` package's browser bundle)
 *   GET  /console/events?person=ID     the seat's cards, live (Server-Sent Events: `reset`, `upsert`, `remove`)
 *   GET  /console/pictures?person=ID   the seat's status pictures (./pictures.ts): its open and recent
 *                                      consultations it may see, with the URLs of their two SVG pictures
 *   GET  /console/picture/REF.svg?person=ID&view=status|timeline   one picture, `image/svg+xml`
 *   POST /console/command              `{ person, command, click }`: what the person typed (the words of `/crm`)
 *   POST /console/action               `{ person, card, verb, data, click }`: a card's button (a decision, an
 *                                      invitation's `meeting_attend` / `meeting_decline` with `data` `{ m, s }`,
 *                                      a form's submit), `verb` being the Teams verb / Slack action id
 *
 * Every input is untrusted and checked here (zod): an unknown person, a command of more than one line or
 * 500 characters, an unknown verb, a card that is not in the seat, malformed data → 400/404 with a message in
 * both languages, and nothing is done. The console lets anyone act as anyone, so it answers only on the
 * loopback interface, to requests whose Host names the loopback (no DNS rebinding), and takes commands only
 * as JSON from its own origin (no cross-site form posts). See SECURITY.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseDay } from '../../calendar/civil.ts';
import { zonedInstant } from '../../calendar/tz.ts';
import type { DirectorySource } from '../../flows/ports.ts';
import { sendJson, type RequestContext, type Route } from '../../http/server.ts';
import { isDecisionAction } from '../../interaction/decisions.ts';
import { formSpec, parseFormContext } from '../../interaction/form-specs.ts';
import type { FormValues } from '../../interaction/forms.ts';
import type { Intent, SubmittedContext } from '../../interaction/intent.ts';
import { inOrderFor } from '../../interaction/pacing.ts';
import { SEGMENTS } from '../../domain/meetings/index.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE } from '../../messages/meeting-invitation.ts';
import { timeInputId, type FormId } from '../../messages/form-spec.ts';
import { consoleCardRef } from './console-notifier.ts';
import { consolePage } from './page.ts';
import { seatPicture, seatPictures } from './pictures.ts';
import type { ConsultationReader } from '../../flows/queries.ts';
import type { ConsolePresenter } from './present.ts';
import { typedCard, type Submitted } from './render.ts';
import { isSeat, seatReader } from './seats.ts';
import { ST_CHANNEL_SEAT, type ConsoleEntry, type ConsoleEvent, type ConsoleStore } from './store.ts';
import { bilingual, type ConsoleTextKey } from './text.ts';

export const CONSOLE_PATH = '/console';

const FORM_IDS = ['consultation_new', 'reason', 'revise', 'extend', 'withdraw', 'meeting_new', 'meeting_delegation'] as const satisfies readonly FormId[];
const isFormId = (v: string): v is FormId => (FORM_IDS as readonly string[]).includes(v);

export interface ConsoleRouteDeps {
  store: ConsoleStore;
  directory: DirectorySource;
  /** A presenter for one request of one seat (./present.ts). */
  presenter(seat: string, submitted?: { cardId: string; values: Submitted }): ConsolePresenter;
  /** How long a click or a submission waits for its work before the answer (the rest comes as a card). */
  budgetMs: number;
  /** The consultations, for the status pictures (./pictures.ts); absent: the pictures' routes answer 404. */
  pictures?: { reader: ConsultationReader; now: () => Date };
  /** How often an idle event stream gets a comment line (keeps proxies and browsers from closing it). */
  heartbeatMs?: number;
}

export interface ConsoleRoutes {
  routes: Route[];
  /** Ends every open event stream (at shutdown, before the HTTP server closes). */
  close(): void;
}

// ------------------------------------------------------------------------------------------ inputs

const personId = z.string().min(1).max(320);
const clickId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const commandSchema = z.object({ person: personId, command: z.string().max(2000), click: clickId }).strict();
const scalar = z.union([z.string().max(30_000), z.number(), z.boolean()]);
const actionSchema = z
  .object({
    person: personId,
    card: z.uuid(),
    verb: z.string().min(1).max(64),
    data: z.record(z.string().max(100), scalar).refine((d) => Object.keys(d).length <= 40),
    click: clickId,
  })
  .strict();

/** An invitation button's value (untrusted): the meeting and the segment; anything else is a forged button. */
const invitationData = z.object({ m: z.string().min(1).max(100), s: z.enum(SEGMENTS) });
const INVITATION_VERBS: readonly string[] = [ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE];

/** A picture's address: `CRM-2026-004.svg`, and which of the two pictures. */
const pictureName = z.string().regex(/^(CRM-\d{4}-\d{1,6})\.svg$/);
const pictureView = z.enum(['status', 'timeline']);

/** One line, some text, at most 500 characters, no control characters. */
const COMMAND_MAX = 500;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly key: ConsoleTextKey,
  ) {
    super(key);
  }
}

const refuse = (res: ServerResponse, status: number, key: ConsoleTextKey) => sendJson(res, status, { error: key, message: bilingual(key) });

function json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new Refused(400, 'bad_json');
  }
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

// ------------------------------------------------------------------------------------------ guard

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

/**
 * Only the machine itself: the peer is the loopback, and the Host header names it (a web page elsewhere
 * that points its own name at 127.0.0.1, DNS rebinding, is refused). A POST must be JSON, and from the
 * console's own origin when the browser says where it comes from.
 */
export function loopbackOnly(ctx: Pick<RequestContext, 'req'>): boolean {
  const { req } = ctx;
  if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '')) return false;
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) return false;
  if (req.method === 'POST') {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return false;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return false;
  }
  return true;
}

// ------------------------------------------------------------------------------------------ assets

const require = createRequire(import.meta.url);
const here = new URL('./assets/', import.meta.url);

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
}

function loadAssets(): Map<string, Asset> {
  const files: [string, string, URL | string][] = [
    ['console.js', 'text/javascript; charset=utf-8', new URL('console.js', here)],
    ['console.css', 'text/css; charset=utf-8', new URL('console.css', here)],
    // Microsoft's renderer, as the package ships it for browsers (one file, its dependencies bundled).
    ['adaptivecards.js', 'text/javascript; charset=utf-8', require.resolve('adaptivecards/dist/adaptivecards.min.js')],
  ];
  const out = new Map<string, Asset>();
  for (const [name, type, where] of files) {
    const body = readFileSync(where);
    out.set(name, { type, body, etag: `"${sha(body.toString('latin1'))}"` });
  }
  return out;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

// ------------------------------------------------------------------------------------------ routes

export function consoleRoutes(deps: ConsoleRouteDeps): ConsoleRoutes {
  const assets = loadAssets();
  const streams = new Set<ServerResponse>();
  const heartbeatMs = deps.heartbeatMs ?? 20_000;

  /** A seat of the live directory, or a refusal; `act`: one that can act (not the ST channel). */
  const seatOf = (id: string, act: boolean): string => {
    const seat = id.trim().toLowerCase();
    if (!isSeat(deps.directory.current(), seat)) throw new Refused(400, 'bad_person');
    if (act && seat === ST_CHANNEL_SEAT) throw new Refused(400, 'channel_cannot_act');
    return seat;
  };

  const guarded =
    (handler: (ctx: RequestContext) => Promise<void> | void) =>
    async (ctx: RequestContext): Promise<void> => {
      if (!loopbackOnly(ctx)) return refuse(ctx.res, 403, 'forbidden');
      try {
        await handler(ctx);
      } catch (e) {
        if (e instanceof Refused) return refuse(ctx.res, e.status, e.key);
        ctx.log.error({ err: e }, 'console: request failed');
        if (!ctx.res.headersSent) sendJson(ctx.res, 500, { error: 'internal_error', requestId: ctx.requestId, message: bilingual('failed', { requestId: ctx.requestId }) });
      }
    };

  const page: Route = {
    method: 'GET',
    path: CONSOLE_PATH,
    handler: guarded(({ res }) => {
      const html = consolePage(deps.directory.current());
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // The renderer sets inline styles on the elements it builds; scripts only from here.
        'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
        ...SECURITY_HEADERS,
      });
      res.end(html);
    }),
  };

  const asset: Route = {
    method: 'GET',
    path: `${CONSOLE_PATH}/assets`,
    prefix: true,
    handler: guarded(({ req, res, url }) => {
      const a = assets.get(url.pathname.slice(`${CONSOLE_PATH}/assets/`.length));
      if (!a) return sendJson(res, 404, { error: 'not_found' });
      if (req.headers['if-none-match'] === a.etag) {
        res.writeHead(304, { etag: a.etag });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': a.type, 'content-length': a.body.length, etag: a.etag, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
      res.end(a.body);
    }),
  };

  const events: Route = {
    method: 'GET',
    path: `${CONSOLE_PATH}/events`,
    handler: guarded(({ req, res, url }) => {
      const seat = seatOf(url.searchParams.get('person') ?? '', false);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no', ...SECURITY_HEADERS });
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send('reset', { seat, reader: seatReader(deps.directory.current(), seat), entries: deps.store.entries(seat) satisfies ConsoleEntry[] });
      const unlisten = deps.store.listen(seat, (e: ConsoleEvent) => (e.type === 'upsert' ? send('upsert', e.entry) : send('remove', { id: e.id })));
      const beat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
      beat.unref();
      streams.add(res);
      const done = () => {
        clearInterval(beat);
        unlisten();
        streams.delete(res);
      };
      req.on('close', done);
      res.on('close', done);
    }),
  };

  const pictures: Route = {
    method: 'GET',
    path: `${CONSOLE_PATH}/pictures`,
    handler: guarded(async ({ res, url }) => {
      const seat = seatOf(url.searchParams.get('person') ?? '', false);
      if (!deps.pictures) throw new Refused(404, 'picture_gone');
      const list = await seatPictures(deps.pictures.reader, deps.directory.current(), seat);
      sendJson(res, 200, { pictures: list }, SECURITY_HEADERS);
    }),
  };

  const picture: Route = {
    method: 'GET',
    path: `${CONSOLE_PATH}/picture`,
    prefix: true,
    handler: guarded(async ({ res, url }) => {
      const seat = seatOf(url.searchParams.get('person') ?? '', false);
      const name = pictureName.safeParse(decodeURIComponentSafe(url.pathname.slice(`${CONSOLE_PATH}/picture/`.length)));
      const view = pictureView.safeParse(url.searchParams.get('view') ?? 'status');
      if (!name.success || !view.success) throw new Refused(400, 'bad_picture');
      if (!deps.pictures) throw new Refused(404, 'picture_gone');
      const svg = await seatPicture(deps.pictures.reader, deps.directory.current(), seat, name.data.slice(0, -'.svg'.length), view.data, deps.pictures.now());
      if (svg === undefined) throw new Refused(404, 'picture_gone');
      res.writeHead(200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'cache-control': 'no-store',
        // Opened on its own, the picture may not run anything either.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ...SECURITY_HEADERS,
      });
      res.end(svg);
    }),
  };

  const command: Route = {
    method: 'POST',
    path: `${CONSOLE_PATH}/command`,
    handler: guarded(async ({ res, body, requestId }) => {
      const input = commandSchema.safeParse(json(body));
      if (!input.success) {
        const person = input.error.issues.some((i) => i.path[0] === 'person');
        throw new Refused(400, person ? 'bad_person' : input.error.issues.some((i) => i.path[0] === 'command') ? 'bad_command' : 'bad_action');
      }
      const seat = seatOf(input.data.person, true);
      const text = input.data.command.trim();
      if (!text || [...text].length > COMMAND_MAX || CONTROL.test(text)) throw new Refused(400, 'bad_command');
      const words = text.replace(/^\/?crm\b\s*/i, '');
      await inOrderFor(`console:${seat}`, async () => {
        deps.store.add(seat, typedCard(text), { from: 'you' });
        const intent: Intent = { kind: 'command', text: words, slash: '/crm' };
        await deps.presenter(seat).run(intent, { key: `console:command:${seat}:${input.data.click}`, budgetMs: deps.budgetMs, requestId });
      });
      sendJson(res, 200, { ok: true });
    }),
  };

  const action: Route = {
    method: 'POST',
    path: `${CONSOLE_PATH}/action`,
    handler: guarded(async ({ res, body, requestId }) => {
      const input = actionSchema.safeParse(json(body));
      if (!input.success) throw new Refused(400, input.error.issues.some((i) => i.path[0] === 'person') ? 'bad_person' : 'bad_action');
      const { verb, data, click } = input.data;
      const seat = seatOf(input.data.person, true);
      const held = deps.store.get(seat, input.data.card);
      if (!held) throw new Refused(404, 'card_gone');
      const key = `console:${verb}:${seat}:${input.data.card}:${click}`;

      if (isDecisionAction(verb)) {
        if (held.form) throw new Refused(400, 'bad_action');
        const c = data.c;
        const v = data.v;
        // A value that is not the button's (forged, or from another card): an intent without a target, which
        // the interaction layer refuses ("invalid button") without recording anything.
        const target = typeof c === 'string' && typeof v === 'string' && c.length <= 200 && v.length <= 200 ? { consultationId: c, versionHash: v } : undefined;
        const intent: Intent = { kind: 'decide', action: verb, ...(target ? { target } : {}), card: consoleCardRef(seat, held.entry.id) };
        await inOrderFor(`console:${seat}`, () => deps.presenter(seat).run(intent, { key, budgetMs: deps.budgetMs, requestId }));
        return sendJson(res, 200, { ok: true });
      }

      if (INVITATION_VERBS.includes(verb)) {
        if (held.form) throw new Refused(400, 'bad_action');
        // A value that is not an invitation button's: an intent without a target, refused by the interaction
        // layer ("invalid button") without recording anything.
        const target = invitationData.safeParse(data);
        const intent: Intent = {
          kind: 'answer_invitation',
          response: verb === ACTION_MEETING_ATTEND ? 'attend' : 'decline',
          ...(target.success ? { target: { meetingId: target.data.m, segment: target.data.s } } : {}),
          card: consoleCardRef(seat, held.entry.id),
        };
        await inOrderFor(`console:${seat}`, () => deps.presenter(seat).run(intent, { key, budgetMs: deps.budgetMs, requestId }));
        return sendJson(res, 200, { ok: true });
      }

      if (isFormId(verb)) {
        // A form's submit: only from the card showing that very form.
        if (!held.form || held.form.form !== verb) throw new Refused(400, 'bad_action');
        const reader = seatReader(deps.directory.current(), seat);
        const submitted = submittedStrings(data);
        const values = formValues(held.form, submitted, reader);
        const context = submittedContext(verb, data, seat);
        const intent: Intent = { kind: 'submit', form: verb, values, ...(context ? { context } : {}) };
        await inOrderFor(`console:${seat}`, () => deps.presenter(seat, { cardId: held.entry.id, values: submitted }).run(intent, { key: `${key}:${sha(JSON.stringify(values))}`, budgetMs: deps.budgetMs, requestId }));
        return sendJson(res, 200, { ok: true });
      }
      throw new Refused(400, 'bad_action');
    }),
  };

  return {
    routes: [page, asset, events, pictures, picture, command, action],
    close() {
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}


function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/** The submission's values as strings (numbers as typed). */
function submittedStrings(data: Record<string, string | number | boolean>): Submitted {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

/**
 * The form's values as the interaction layer takes them (interaction/forms.ts FormValues): only the form's
 * own fields; a date and time input pair (`deadline`, `deadline_time`) as the instant in the person's zone
 * (a time alone, or a date that is not one, stays as typed, and is refused on its field).
 */
function formValues(request: Parameters<typeof formSpec>[0], v: Submitted, reader: { locale: 'es' | 'en'; timezone: string }): FormValues {
  const spec = formSpec(request, reader);
  const out: Record<string, string> = {};
  for (const f of spec.fields) {
    const raw = v[f.id]?.trim();
    if (f.kind !== 'datetime') {
      if (raw) out[f.id] = raw;
      continue;
    }
    const time = v[timeInputId(f.id)]?.trim();
    if (!raw) continue;
    const hm = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(time || '23:59');
    let at: Date | undefined;
    try {
      at = /^\d{4}-\d{2}-\d{2}$/.test(raw) && hm ? zonedInstant(parseDay(raw), reader.timezone, Number(hm[1]), Number(hm[2])) : undefined;
    } catch {
      at = undefined;
    }
    out[f.id] = at && !Number.isNaN(at.getTime()) ? at.toISOString() : raw;
  }
  return out;
}

/** The form's context from the submission (untrusted); a reason form's card must be one of this seat's. */
function submittedContext(form: FormId, data: Record<string, string | number | boolean>, seat: string): SubmittedContext | undefined {
  const context = parseFormContext(form, data);
  if (context?.form !== 'reason' || !context.reason.card) return context;
  const own = consoleCardRef(seat, context.reason.card.ts);
  if (context.reason.card.channel === own.channel) return context;
  const { card: _forged, ...reason } = context.reason;
  return { form: 'reason', reason };
}
