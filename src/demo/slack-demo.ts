/**
 * `npm run demo`: the main job on the embedded defaults, one consultation that mixes Slack and Microsoft
 * Teams, as people use them.
 *
 * In one process: the bot (`startBot`, exactly what `npm start` runs: the embedded PGlite database in
 * CRM_DATA_DIR, BullMQ on the embedded queue database, the deliver/close jobs), a local fake Slack Web API
 * (./fake-slack-api.ts) that the bot's WebClient talks to through SLACK_API_URL, a local stand-in for
 * Slack's response_urls, and the local Microsoft world (./teams/demo-teams.ts: identity provider, Bot
 * Framework key set, fake Bot Connector, over HTTPS with a CA that bin/demo.mjs makes the process trust).
 * The directory is the live one (the example by default) made mixed for this process only
 * (./teams/demo-teams.ts mixedDirectory: nothing is imported): Guatemala and Honduras on Teams, Costa
 * Rica's first focal point on both and reached on Teams, the ST on a Slack channel AND a Teams channel.
 *
 * People act through REAL requests: signed HTTP to POST /slack/events (./slack-requests.ts: slash
 * commands, modal submissions, button clicks) and, in Teams, `adaptiveCard/action` invokes to
 * POST /api/messages carrying a token the local key set signed (the bot validates it for real). The
 * transcript shows what each of them saw, on which platform: Slack messages and modals rendered as text
 * (./block-text.ts), Teams cards likewise, each person in their language, ending with the digest on both
 * ST channels, the Slack metadata and the Teams entity.
 *
 * The consultation has an explicit deadline about a minute after it circulates (the `silence` rule), so
 * the close happens live, by the close job. DATABASE_URL / REDIS_URL are honoured when set, as by
 * `npm start`. Any SLACK_* and TEAMS_* variables are replaced by the local fakes'.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBot, type RunningBot } from '../main.ts';
import type { Directory, Locale } from '../directory/model.ts';
import { reachOf } from '../flows/addressing.ts';
import type { ConnectorCall } from './teams/fake-bot-connector.ts';
import { cardToText, DEMO_ST_TEAMS_CHANNEL, mixedDirectory, startDemoTeams, type DemoTeams, type TeamsUser } from './teams/demo-teams.ts';
import { loadLocalTls } from './teams/local-tls.ts';
import { troikaAt } from '../directory/presidency.ts';
import { dateInZone } from '../domain/time.ts';
import { formatInstant, t } from '../i18n/index.ts';
import { blocksToText, unMrkdwn, viewToText } from './block-text.ts';
import { startFakeSlackApi, type FakeCall, type FakeSlackApi } from './fake-slack-api.ts';
import { blockActions, findButton, postToSlackEvents, slashCommand, stateValue, triggerId as newTriggerId, viewSubmission, type SlackRequest, type StateValue } from './slack-requests.ts';

type Print = (line?: string) => void;

export interface SlackDemoOptions {
  print?: Print;
  env?: NodeJS.ProcessEnv;
  /** Seconds from circulation (about 15 s after the modal is submitted) to the explicit deadline. Default 60. */
  deadlineSeconds?: number;
}

export interface SlackDemoResult {
  reference: string;
  outcome: string;
  positions: Record<string, string>;
}

interface Person {
  /** The directory's person id (the e-mail). */
  id: string;
  /** Their Slack id ('' when they have none). */
  slack: string;
  name: string;
  locale: Locale;
  country?: string;
  /** Where the bot reaches them (their `reach`, else the first of Slack, Teams they have). */
  platform: 'slack' | 'teams';
  /** Their Teams side, when they have a Teams id. */
  teams?: TeamsUser;
}

const PLATFORM_NAME = { slack: 'Slack', teams: 'Teams' } as const;

const WAIT_MS = 180_000;

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const say = (print: Print, es: string, en: string) => {
  print(`• ${es}`);
  print(`  ${en}`);
};

/** A stand-in for Slack's response_url endpoint: records what the app sends there. */
async function startResponseUrls() {
  const posts: { id: string; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        posts.push({ id: (req.url ?? '').split('/').pop() ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> });
      } catch {
        /* not JSON: ignore */
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/commands/T0FAKE0001/`;
  return {
    posts,
    base,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

export async function runSlackDemo(options: SlackDemoOptions = {}): Promise<SlackDemoResult> {
  const print = options.print ?? ((l = '') => process.stdout.write(`${l}\n`));
  const env = options.env ?? process.env;
  const deadlineSeconds = options.deadlineSeconds ?? 60;
  // The local Microsoft stand-ins' certificate, made by bin/demo.mjs, whose CA this process trusts.
  if (!env.CRM_DEMO_TLS_DIR) throw new Error('the Teams stand-ins need the local CA: run the demo with npm run demo (bin/demo.mjs)');
  const tls = loadLocalTls(env.CRM_DEMO_TLS_DIR);
  const secret = randomBytes(16).toString('hex');
  const slack = await startFakeSlackApi({ token: `xoxb-demo-${randomBytes(6).toString('hex')}` });
  const responses = await startResponseUrls();
  const ms = await startDemoTeams(tls);
  let bot: RunningBot | undefined;
  try {
    bot = await startBot({
      ...env,
      PORT: '0',
      LOG_LEVEL: env.LOG_LEVEL || 'warn',
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      SLACK_APP_TOKEN: '',
      ...ms.env,
    });
    // The live directory made mixed for this process only (nothing imported: see mixedDirectory).
    const live = bot.engine.directory;
    live.replace(mixedDirectory(live.current()), { ...live.source, path: `${live.source.path} (mixed for the demo, in memory)` });
    return await play(bot, slack, ms, responses, secret, print, deadlineSeconds);
  } finally {
    await bot?.stop();
    await ms.close();
    await responses.close();
    await slack.close();
  }
}

async function play(
  bot: RunningBot,
  slack: FakeSlackApi,
  ms: DemoTeams,
  responses: Awaited<ReturnType<typeof startResponseUrls>>,
  secret: string,
  print: Print,
  deadlineSeconds: number,
): Promise<SlackDemoResult> {
  const directory = bot.engine.directory.current();
  const eventsUrl = `http://127.0.0.1:${bot.port}/slack/events`;
  const people = peopleOf(directory, ms);
  const bySlack = new Map([...people.values()].filter((p) => p.slack).map((p) => [p.slack, p]));
  const byDm = new Map([...bySlack.values()].map((p) => [slack.dmChannelOf(p.slack), p]));
  const byConversation = new Map([...people.values()].filter((p) => p.teams).map((p) => [p.teams!.conversationId, p]));
  const onTeams = [...people.values()].filter((p) => p.teams);
  const stChannel = directory.secretariat.slack?.channel ?? '';
  const botUrl = `http://127.0.0.1:${bot.port}`;
  const stLocale = directory.secretariat.locale;
  const zone = directory.secretariat.timezone;

  print('══ CRM · Consulta especial por Slack y Microsoft Teams / Special consultation through Slack and Microsoft Teams — demo ══');
  say(
    print,
    `El bot corre como con npm start (${bot.config.databaseUrl ? 'PostgreSQL' : `PGlite embebida en ${bot.config.dataDir}`}, trabajos ${bot.jobs.kind}), con una API de Slack falsa local en ${slack.url} y un Bot Connector de Teams falso local en ${ms.connector.serviceUrl}. Cada paso en Slack es una solicitud HTTP firmada a ${eventsUrl}; cada paso en Teams, una solicitud a ${botUrl}/api/messages con un token JWT que el bot valida de verdad.`,
    `The bot runs as with npm start (${bot.config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${bot.config.dataDir}`}, ${bot.jobs.kind} jobs), with a local fake Slack API at ${slack.url} and a local fake Teams Bot Connector at ${ms.connector.serviceUrl}. Every step in Slack is a signed HTTP request to ${eventsUrl}; every step in Teams, a request to ${botUrl}/api/messages with a JWT the bot really validates.`,
  );
  const listOf = (platform: 'slack' | 'teams') =>
    [...people.values()].filter((p) => p.country && p.platform === platform && directory.countries.find((c) => c.code === p.country)?.status === 'member').map((p) => `${p.name} (${p.country})`).join(', ');
  const both = [...people.values()].filter((p) => p.slack && p.teams);
  const asked = (p: Person) => Boolean(people.get(p.id) && directory.countries.flatMap((c) => c.focalPoints).find((f) => f.id === p.id)?.reach);
  const bothEs = both.map((p) => (asked(p) ? `${p.name} tiene cuenta en ambos y pidió que el bot le escriba en ${PLATFORM_NAME[p.platform]} (reach: ${p.platform})` : `${p.name} tiene cuenta en ambos y el bot le escribe en ${PLATFORM_NAME[p.platform]} (lo predeterminado)`));
  const bothEn = both.map((p) => (asked(p) ? `${p.name} has both and asked the bot to write to them on ${PLATFORM_NAME[p.platform]} (reach: ${p.platform})` : `${p.name} has both and the bot writes to them on ${PLATFORM_NAME[p.platform]} (the default)`));
  say(
    print,
    `Quién usa qué: en Teams ${listOf('teams')}; los demás puntos focales, en Slack.${both.length ? ` ${bothEs.join('; ')}.` : ''} La ST recibe todo en su canal de Slack (${stChannel}) y en su canal de Teams (${DEMO_ST_TEAMS_CHANNEL}).`,
    `Who uses what: on Teams ${listOf('teams')}; the other focal points, on Slack.${both.length ? ` ${bothEn.join('; ')}.` : ''} The ST gets everything in its Slack channel (${stChannel}) and in its Teams channel (${DEMO_ST_TEAMS_CHANNEL}).`,
  );
  const earlier = await bot.engine.consultations.listConsultations();
  if (earlier.length) {
    say(print, `Consultas anteriores en esta base: ${earlier.length}.`, `Earlier consultations in this database: ${earlier.length}.`);
    for (const c of earlier) print(`    ${c.reference}  ${c.stage}  ${c.outcome ?? ''}  ${c.title}`);
  }
  print();

  const now = new Date();
  const troika = troikaAt(directory.presidencies, dateInZone(now, zone));
  if (!troika) throw new Error('the directory has no Presidency today: the demo needs one');
  const first = (code: string, i = 0): Person => {
    const fp = directory.countries.find((c) => c.code === code)?.focalPoints.filter((f) => people.has(f.id))[i];
    if (!fp) throw new Error(`the directory has no focal point ${i + 1} for ${code} on Slack or Teams`);
    return people.get(fp.id)!;
  };
  const onSlack = (who: Person): Person => {
    if (who.platform !== 'slack') throw new Error(`the demo expects ${who.name} on Slack`);
    return who;
  };
  const country = (code: string, l: Locale) => directory.countries.find((c) => c.code === code)?.name[l] ?? code;
  const ppt = onSlack(first(troika.current));
  const others = troika.countries.filter((c) => c !== troika.current).map((c) => onSlack(first(c)));

  // ----------------------------------------------------------------------------------- plumbing
  let seen = 0;
  let seenTeams = 0;
  let seq = 0;
  const acks: { who: Person; body: string }[] = [];
  const owners = new Map<string, Person>();
  const responseUrl = (who: Person) => {
    const id = `${Date.now()}${++seq}`;
    owners.set(id, who);
    return `${responses.base}B0${seq}/${id}`;
  };
  const post = async (who: Person, request: SlackRequest) => {
    const res = await postToSlackEvents(eventsUrl, secret, request);
    if (res.status !== 200) throw new Error(`POST /slack/events answered ${res.status} for ${who.name}: ${res.body}`);
    if (res.body.trim()) acks.push({ who, body: res.body });
    return res;
  };
  const command = async (who: Person, text: string) => {
    const triggerId = newTriggerId();
    print(`  ⌨ ${who.name}: /crm ${text}`);
    await post(who, slashCommand({ userId: who.slack, text, triggerId, responseUrl: responseUrl(who) }));
    return triggerId;
  };
  /** The form opened with `triggerId`, following a "loading" modal the app replaced (views.update). */
  const openedView = (triggerId: string, callbackId: string) =>
    waitFor(() => {
      const calls = slack.calls.filter((c) => c.method === 'views.open' || c.method === 'views.update' || c.method === 'views.publish');
      const i = calls.findIndex((c) => c.method === 'views.open' && c.args.trigger_id === triggerId);
      if (i < 0) return undefined;
      const id = `V0FAKE${String(i + 1).padStart(4, '0')}`; // the fake numbers views in call order
      const latest = [calls[i]!, ...calls.filter((c) => c.method === 'views.update' && c.args.view_id === id)].at(-1)!;
      const view: Record<string, unknown> = { ...(latest.args.view as Record<string, unknown>), id };
      return view.callback_id === callbackId ? view : undefined;
    }, `the ${callbackId} modal`);
  const submit = async (who: Person, view: Record<string, unknown>, values: Record<string, StateValue>) => {
    const res = await post(who, viewSubmission({ userId: who.slack, callbackId: String(view.callback_id), values, view }));
    if (res.body.includes('"errors"')) throw new Error(`the ${String(view.callback_id)} modal was refused: ${res.body}`);
  };
  const card = (who: Person, ref: string, actionId: string, after = '0') =>
    waitFor(() => {
      const ch = slack.dmChannelOf(who.slack);
      const m = slack.messages(ch).filter((x) => JSON.stringify(x.blocks ?? []).includes(ref) && findButton(x.blocks, actionId) && Number(x.ts) > Number(after)).at(-1);
      return m ? { channel: ch, message: m } : undefined;
    }, `${who.name}'s card with ${actionId}`);
  /** The latest Teams card of `who` about `ref` with an Action.Execute `verb`. */
  const teamsCard = (who: Person, ref: string, verb: string) =>
    waitFor(() => {
      const list = ms.connector.activities(who.teams!.conversationId);
      const a = list.filter((x) => JSON.stringify(x.activity).includes(ref) && executeOf((x.activity.attachments as { content?: unknown }[] | undefined)?.[0]?.content, verb)).at(-1);
      return a ? { id: a.id, action: executeOf((a.activity.attachments as { content?: unknown }[])[0]!.content, verb)! } : undefined;
    }, `${who.name}'s Teams card with ${verb}`);
  /** `who` clicks in Teams: the invoke (a real JWT), its answer shown, then the card PUT in place for everyone. */
  const teamsClick = async (who: Person, c: Awaited<ReturnType<typeof teamsCard>>, verb: string) => {
    print(`  🖱 ${who.name} (${country(who.country ?? '', who.locale)}) · Teams: [ ${c.action.title} ]`);
    const res = await ms.click(botUrl, who.teams!, c.id, verb, c.action.data);
    if (res.status !== 200) throw new Error(`the Teams click of ${who.name} answered ${res.status}`);
    await waitFor(() => (ms.connector.activities(who.teams!.conversationId).find((a) => a.id === c.id)?.updates ?? 0) > 0, 'the Teams card updated in place');
  };
  const click = async (who: Person, c: Awaited<ReturnType<typeof card>>, actionId: string) => {
    const b = findButton(c.message.blocks, actionId)!;
    print(`  🖱 ${who.name} (${country(who.country ?? '', who.locale)}) · Slack: [ ${b.label} ]`);
    const triggerId = newTriggerId();
    await post(who, blockActions({ userId: who.slack, actionId, value: b.value, label: b.label, message: { channel: c.channel, ts: c.message.ts, text: c.message.text, blocks: c.message.blocks ?? [] }, responseUrl: responseUrl(who), triggerId }));
    return triggerId;
  };
  const updatedSince = (c: Awaited<ReturnType<typeof card>>, since: number) =>
    waitFor(() => slack.calls.slice(since).some((x) => x.method === 'chat.update' && x.args.ts === c.message.ts), 'the card updated in place');

  /** Prints everything Slack showed people since the last call. */
  const show = (title?: { es: string; en: string }) => {
    if (title) say(print, title.es, title.en);
    const fresh = slack.calls.slice(seen);
    seen = slack.calls.length;
    const freshTeams = ms.connector.calls.slice(seenTeams);
    seenTeams = ms.connector.calls.length;
    const groups = new Map<string, { text: string; to: string[] }>();
    const lines: string[] = [];
    const shared: string[] = [];
    for (const c of fresh) (c.method === 'files.completeUploadExternal' ? shared : lines).push(...describe(c, groups));
    for (const c of freshTeams) lines.push(...describeTeams(c, groups));
    for (const g of groups.values()) {
      lines.push(g.text);
      if (g.to.length > 1) lines.push(`    (también / also: ${g.to.slice(1).join('; ')})`);
    }
    // A shared file (the record) follows the messages it comes after (the digest), as in the channel.
    lines.push(...shared);
    for (const a of acks.splice(0)) lines.push(...ephemeral(a.who, a.body));
    for (const p of responses.posts.splice(0)) {
      const who = owners.get(p.id);
      if (who) lines.push(...ephemeral(who, JSON.stringify(p.body)));
    }
    for (const l of mergeStatusLines(lines)) print(l);
    print();
  };
  /** The same live status shown to several people (the PPT's focal points) on one line. */
  const mergeStatusLines = (lines: string[]): string[] => {
    const out: string[] = [];
    const seenAt = new Map<string, number>();
    for (const l of lines) {
      const m = /^ {2}([✎▣]) (.+?) · (es|en) — (estado[^:]*): (.*)$/u.exec(l);
      // Merged only with the same status on the same platform ("… · Slack" / "… · Teams").
      if (!m || m[2]!.startsWith('canal de la ST')) {
        out.push(l);
        continue;
      }
      const key = `${m[1]}|${m[2]!.split(' · ').at(-1)}|${m[3]}|${m[4]}|${m[5]}`;
      const at = seenAt.get(key);
      if (at === undefined) {
        seenAt.set(key, out.length);
        out.push(l);
      } else out[at] = out[at]!.replace(` · ${m[3]} — `, `; ${m[2]} · ${m[3]} — `);
    }
    return out;
  };
  // "Name (CR) · Slack · es": who, on which platform, in which language.
  const label = (p: Person, platform: 'slack' | 'teams') => `${p.name}${p.country ? ` (${p.country})` : ' (ST)'} · ${PLATFORM_NAME[platform]} · ${p.locale}`;
  const nameOf = (channel: string) => {
    const p = byDm.get(channel) ?? bySlack.get(channel);
    if (p) return label(p, 'slack');
    return channel === stChannel ? `canal de la ST en Slack / ST channel in Slack ${stChannel} · ${stLocale}` : channel;
  };
  const teamsNameOf = (conversationId: string) => {
    const p = byConversation.get(conversationId);
    if (p) return label(p, 'teams');
    return conversationId === DEMO_ST_TEAMS_CHANNEL ? `canal de la ST en Teams / ST channel in Teams ${DEMO_ST_TEAMS_CHANNEL} · ${stLocale}` : conversationId;
  };
  /** `to` without its language, and its language (the last part). */
  const split = (to: string) => {
    const parts = to.split(' · ');
    return { who: parts.slice(0, -1).join(' · '), locale: parts.at(-1) ?? '' };
  };
  const describe = (c: FakeCall, groups: Map<string, { text: string; to: string[] }>): string[] => {
    const a = c.args as { channel?: string; ts?: string; blocks?: unknown[]; text?: string; user?: string; view?: unknown; trigger_id?: string; metadata?: { event_type: string; event_payload: unknown } };
    const to = nameOf(String(a.channel ?? ''));
    // A live status (the ST channel's, or a PPT focal point's own) is headed "CRM-2026-001 · title".
    const isStatus = /^CRM-\d{4}-\d+ · /.test(headerOf(a.blocks));
    if (c.method === 'chat.postMessage') {
      const header = headerOf(a.blocks);
      if (isStatus) return [`  ▣ ${to} — estado en vivo / live status: ${fieldsLine(a.blocks)}`];
      const key = `slack|${header.replace(/CRM-\d{4}-\d+/, '')}|${split(to).locale}`;
      const g = groups.get(key);
      const who = split(to).who;
      if (g) g.to.push(who);
      else {
        const meta = a.metadata && a.metadata.event_type !== 'crm_outbox' ? `\n    metadata ${a.metadata.event_type}: ${JSON.stringify(a.metadata.event_payload)}` : '';
        groups.set(key, { text: `  → ${to}\n${blocksToText(a.blocks, { indent: '    ' })}${meta}`, to: [who] });
      }
      return [];
    }
    if (c.method === 'chat.update') {
      if (isStatus) return [`  ✎ ${to} — estado actualizado en su lugar / status updated in place: ${fieldsLine(a.blocks)}`];
      return [`  ✎ ${to} — tarjeta actualizada / card updated: ${firstSection(a.blocks)}`];
    }
    if (c.method === 'files.completeUploadExternal') {
      // The consultation's record, shared after the digest (src/record): name, size and its comment.
      const b = c.args as { channel_id?: string; initial_comment?: string; files?: { id?: string }[] };
      const shared = slack.files().filter((f) => (b.files ?? []).some((x) => x.id === f.id));
      const comment = unMrkdwn(b.initial_comment ?? '').split('\n').map((l) => `    ${l}`).join('\n');
      return shared.map((f) => `  📎 ${nameOf(String(b.channel_id ?? ''))} — archivo compartido / file shared: ${f.filename} (${Math.ceil((f.bytes?.length ?? 0) / 1024)} KB)\n${comment}`);
    }
    if (c.method === 'views.open') return [`  ▢ modal:\n${viewToText(a.view, { indent: '    ' })}`];
    if (c.method === 'views.update') return [`  ▢ modal (reemplazado / replaced):\n${viewToText(a.view, { indent: '    ' })}`];
    if (c.method === 'views.publish') return [];
    if (c.method === 'chat.postEphemeral') return ephemeral(bySlack.get(String(a.user)) ?? { id: '', slack: '', name: String(a.user), locale: 'es', platform: 'slack' }, JSON.stringify(a));
    return [];
  };
  /** What the fake Bot Connector shows people after a call: a card posted, or updated in place (PUT). */
  const describeTeams = (c: ConnectorCall, groups: Map<string, { text: string; to: string[] }>): string[] => {
    if (c.status >= 300) return [];
    const body = c.body as { activity?: Record<string, unknown>; members?: { id?: string }[] } & Record<string, unknown>;
    const activity = c.op === 'createConversation' ? body.activity : body;
    if (!activity) return [];
    const conversation = c.op === 'createConversation' ? ms.connector.conversationOf(String(body.members?.[0]?.id ?? '')) : (c.conversationId ?? '').split(';')[0]!;
    const to = teamsNameOf(conversation);
    const content = (activity.attachments as { content?: unknown }[] | undefined)?.[0]?.content;
    const text = content ? cardToText(content, '    ') : `    ${String(activity.text ?? '')}`;
    const head = /┌ (.*)/.exec(text)?.[1] ?? '';
    const isStatus = /^CRM-\d{4}-\d+ · /.test(head);
    const oneLine = () => text.split('\n').map((l) => l.replace(/^ *[┌│└] ?/, '')).filter(Boolean).join(' · ');
    if (c.op === 'updateActivity') {
      if (isStatus) return [`  ✎ ${to} — estado actualizado en su lugar / status updated in place: ${oneLine()}`];
      const lead = text.split('\n')[1]?.replace(/^ *│ /, '') ?? '';
      return [`  ✎ ${to} — tarjeta actualizada / card updated: ${lead}`];
    }
    if (isStatus) return [`  ▣ ${to} — estado en vivo / live status: ${oneLine()}`];
    const key = `teams|${head.replace(/CRM-\d{4}-\d+/, '')}|${split(to).locale}`;
    const g = groups.get(key);
    if (g) g.to.push(split(to).who);
    else {
      const entity = ((activity.entities as Record<string, unknown>[] | undefined) ?? []).find((e) => e.type === 'crm_consultation_closed');
      const meta = entity ? `\n    entity crm_consultation_closed: ${JSON.stringify({ ...entity, type: undefined })}` : '';
      groups.set(key, { text: `  → ${to}\n${text}${meta}`, to: [split(to).who] });
    }
    return [];
  };
  const ephemeral = (who: Person, body: string): string[] => {
    let text = '';
    try {
      const j = JSON.parse(body) as { text?: string; blocks?: unknown[]; response_action?: string; errors?: Record<string, string> };
      if (j.response_action === 'errors') text = Object.values(j.errors ?? {}).join(' · ');
      else if (j.response_action) return [];
      else text = j.blocks ? firstSection(j.blocks) || unMrkdwn(j.text ?? '') : unMrkdwn(j.text ?? '');
    } catch {
      text = body;
    }
    return text ? [`  ✗ ${who.name} ve (solo para sí) / sees (only to them): ${text}`] : [];
  };

  // ----------------------------------------------------------------------------------- the story
  // Teams can only write to people who installed the app: the focal points on Teams install it.
  for (const p of onTeams) await ms.install(botUrl, p.teams!);
  for (const p of onTeams) await waitFor(() => ms.connector.activities(p.teams!.conversationId).length > 0, `the welcome card of ${p.name}`);
  show({
    es: 'Los puntos focales con cuenta de Teams instalan la aplicación del bot (sin ella, Teams no deja que el bot les escriba); cada uno recibe la tarjeta de bienvenida:',
    en: 'The focal points with a Teams account install the bot app (without it, Teams does not let the bot write to them); each gets the welcome card:',
  });
  const observer = directory.countries.filter((c) => c.status === 'observer').flatMap((c) => c.focalPoints).find((f) => f.slack);
  if (observer) {
    const o = bySlack.get(observer.slack!)!;
    say(print, `${o.name}, punto focal de un país observador (${country(o.country ?? '', 'es')}), intenta abrir una consulta.`, `${o.name}, focal point of an observer country (${country(o.country ?? '', 'en')}), tries to open a consultation.`);
    const tid = await command(o, 'consulta');
    // The app either refuses at once or opens the modal and refuses on submit: show what they saw.
    await new Promise((r) => setTimeout(r, 1_500));
    const view = slack.callsOf('views.open').find((c) => c.args.trigger_id === tid)?.args.view as Record<string, unknown> | undefined;
    if (view) {
      await post(o, viewSubmission({ userId: o.slack, callbackId: String(view.callback_id), view, values: { title: stateValue.text('Intento'), proposal: stateValue.text('Texto'), days: stateValue.number(5), rule: stateValue.select('explicit') } }));
      await new Promise((r) => setTimeout(r, 1_500));
    }
    show();
  }

  const title = 'Posición común ante el aumento de flujos migratorios extrarregionales';
  const proposal =
    'La CRM expresa su preocupación por el aumento de los flujos migratorios extrarregionales en tránsito por la región, ' +
    'reafirma el respeto a los derechos humanos de las personas migrantes independientemente de su condición migratoria, ' +
    'y encarga a la Secretaría Técnica preparar, con el apoyo de los organismos observadores, un informe de situación para la próxima reunión del GRCM.';
  say(
    print,
    `${ppt.name} (PPT, ${country(troika.current, 'es')}) abre una consulta con /crm consulta: Troika ${troika.countries.map((c) => country(c, 'es')).join(', ')}; procedimiento de silencio; plazo explícito.`,
    `${ppt.name} (the PPT, ${country(troika.current, 'en')}) opens a consultation with /crm consult: Troika ${troika.countries.map((c) => country(c, 'en')).join(', ')}; silence procedure; explicit deadline.`,
  );
  const known = new Set(earlier.map((c) => c.reference));
  const tid = await command(ppt, 'consulta');
  const modal = await openedView(tid, 'consultation_new');
  show();
  // The deadline must still be ahead when the Troika approves (else the default 5 business days apply):
  // the Troika review below takes a few seconds, so 15 s are added for it.
  const deadline = new Date(Math.ceil((Date.now() + (deadlineSeconds + 15) * 1000) / 1000) * 1000);
  await submit(ppt, modal, {
    title: stateValue.text(title),
    proposal: stateValue.text(proposal),
    days: stateValue.number(null),
    deadline: stateValue.datetime(deadline),
    rule: stateValue.select('silence'),
    justification: stateValue.text('Urgente: la posición común debe conocerse antes de la reunión del GRCM.'),
  });
  const ref = await waitFor(async () => (await bot.engine.consultations.listConsultations()).find((c) => !known.has(c.reference))?.reference, 'the new consultation');
  for (const o of others) await card(o, ref, 'troika_approve');
  show({ es: `Referencia: ${ref}. La Troika recibe la propuesta, cada persona en su idioma:`, en: `Reference: ${ref}. The Troika receives the proposal, each person in their language:` });

  const [changer, approver] = others;
  if (changer && approver) {
    // A copy of the version-1 card as it is now: once version 2 goes out, the card itself is closed in place.
    const v1 = structuredClone(await card(approver, ref, 'troika_approve'));
    let since = slack.calls.length;
    const c1 = await card(changer, ref, 'troika_changes');
    const t1 = await click(changer, c1, 'troika_changes');
    const reasonView = await openedView(t1, 'reason');
    await submit(changer, reasonView, { reason: stateValue.text('Sugerimos mencionar expresamente la protección de niñas, niños y adolescentes no acompañados.') });
    await updatedSince(c1, since);
    show({ es: `${changer.name} solicita cambios, con su motivo:`, en: `${changer.name} requests changes, with a reason:` });

    const t2 = await command(ppt, `revisar ${ref}`);
    const reviseView = await openedView(t2, 'revise');
    await submit(ppt, reviseView, { proposal: stateValue.text(`${proposal} Se presta especial atención a la protección de niñas, niños y adolescentes no acompañados.`) });
    for (const o of others) await card(o, ref, 'troika_approve', o === approver ? v1.message.ts : c1.message.ts);
    show({ es: `${ppt.name} revisa el texto con /crm revisar: versión 2 a la Troika; las aprobaciones anteriores quedan sin efecto.`, en: `${ppt.name} revises the text with /crm revise: version 2 goes to the Troika; earlier approvals are void.` });

    await click(approver, v1, 'troika_approve');
    await waitFor(() => acks.length > 0 || responses.posts.length > 0 || slack.calls.slice(seen).some((c) => c.method === 'chat.postEphemeral'), 'the refusal of the old button');
    show({ es: `${approver.name} pulsa el botón de la versión 1 en una copia aún sin actualizar (su tarjeta ya dice que fue sustituida):`, en: `${approver.name} clicks the button of version 1 on a copy not yet refreshed (their card already says it was replaced):` });

    for (const o of others) {
      since = slack.calls.length;
      const c = await card(o, ref, 'troika_approve', v1.message.ts);
      await click(o, c, 'troika_approve');
      await updatedSince(c, since);
    }
  }
  const members = directory.countries.filter((c) => c.status === 'member');
  for (const m of members) {
    for (const f of m.focalPoints) {
      const p = people.get(f.id);
      if (p?.platform === 'slack') await card(p, ref, 'position_support');
      else if (p?.platform === 'teams') await teamsCard(p, ref, 'position_support');
    }
  }
  const state = await waitFor(async () => (await bot.engine.consultations.listConsultations()).find((c) => c.reference === ref), 'the consultation');
  const stored = await bot.engine.consultations.loadByReference(ref);
  const dl = stored?.deadline ?? deadline;
  show({
    es: `Consenso de la Troika: el texto circula a los ${members.length} Países Miembros (${state.stage}); plazo ${formatInstant(dl, { locale: 'es', timeZone: zone })}. Cada punto focal recibe su tarjeta:`,
    en: `Troika consensus: the text goes to all ${members.length} Member Countries; deadline ${formatInstant(dl, { locale: 'en', timeZone: zone })}. Every focal point gets a card:`,
  });

  const answers: [string, 'support' | 'object' | 'abstain', number?][] = [
    ['CR', 'support'], ['MX', 'support'], ['PA', 'support'], ['SV', 'support'], ['GT', 'support'], ['HN', 'support'],
    ['CA', 'support'], ['BZ', 'abstain'], ['US', 'support'], ['US', 'abstain', 1],
  ];
  say(print, 'Los Países Miembros responden (Nicaragua y República Dominicana no responden: con el procedimiento de silencio, no responder no es objetar):', 'Member Countries answer (Nicaragua and the Dominican Republic stay silent: under the silence procedure, no answer is no objection):');
  for (const [code, position, i] of answers) {
    const who = first(code, i ?? 0);
    const action = `position_${position}`;
    if (who.platform === 'teams') {
      const c = await teamsCard(who, ref, action);
      await teamsClick(who, c, action);
    } else {
      const since = slack.calls.length;
      const c = await card(who, ref, action);
      await click(who, c, action);
      await updatedSince(c, since);
    }
    if (i) print(`    (${who.name} cambia la posición de su país / changes their country's position)`);
  }
  show();

  const stored2 = await bot.engine.consultations.loadByReference(ref);
  const closeAt = stored2?.deadline ?? dl;
  say(
    print,
    `Esperando el plazo, ${formatInstant(closeAt, { locale: 'es', timeZone: zone })}: el trabajo de cierre cierra la consulta en vivo…`,
    `Waiting for the deadline, ${formatInstant(closeAt, { locale: 'en', timeZone: zone })}: the close job closes the consultation live…`,
  );
  const digest = await waitFor(
    () => slack.callsOf('chat.postMessage').find((c) => c.args.channel === stChannel && (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'crm_consultation_closed' && JSON.stringify(c.args.metadata).includes(ref)),
    'the digest',
    (Math.max(0, closeAt.getTime() - Date.now()) + WAIT_MS),
  );
  await waitFor(async () => (await bot.engine.db.prisma.outboxMessage.count({ where: { consultationId: stored2?.id ?? '', status: 'pending' } })) === 0, 'every message delivered');
  const teamsDigest = ms.connector
    .activities(DEMO_ST_TEAMS_CHANNEL)
    .map((a) => ((a.activity.entities as Record<string, unknown>[] | undefined) ?? []).find((e) => e.type === 'crm_consultation_closed' && e.reference === ref))
    .find(Boolean);
  const meta = digest.args.metadata as { event_payload: { outcome: string; positions: Record<string, string> } };
  // The outcome as people read it, never its code.
  const outcomeIn = (l: 'es' | 'en') => t(l, `outcome.${meta.event_payload.outcome as 'consensus' | 'no_consensus' | 'incomplete' | 'not_endorsed' | 'withdrawn'}`);
  show({
    es: `Plazo cumplido. Resultado: ${outcomeIn('es')}. La ST recibe el resumen en sus dos canales (Slack y Teams) y cada punto focal el resultado, donde usa el bot:`,
    en: `Deadline reached. Outcome: ${outcomeIn('en')}. The ST gets the digest in both its channels (Slack and Teams) and every focal point the result, where they use the bot:`,
  });
  const same = teamsDigest !== undefined && JSON.stringify({ ...teamsDigest, type: undefined }) === JSON.stringify(meta.event_payload);
  say(
    print,
    same ? 'El resumen en Teams lleva la entidad crm_consultation_closed con los mismos valores que los metadatos del mensaje de Slack.' : 'Atención: el resumen en Teams no lleva los mismos valores que el de Slack.',
    same ? 'The Teams digest carries the entity crm_consultation_closed with the same values as the Slack message metadata.' : 'Warning: the Teams digest does not carry the same values as the Slack one.',
  );

  const counts = await bot.engine.db.prisma.outboxMessage.groupBy({ by: ['kind', 'status'], where: { consultationId: stored2?.id ?? '' }, _count: { _all: true } });
  say(print, 'Mensajes de esta consulta (outbox):', 'Messages of this consultation (outbox):');
  for (const c of counts.sort((a, b) => a.kind.localeCompare(b.kind))) print(`    ${c.kind.padEnd(18)} ${c.status.padEnd(8)} ${c._count._all}`);
  const calls = slack.calls.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.method]: (acc[c.method] ?? 0) + 1 }), {});
  say(print, `Llamadas a la API de Slack: ${JSON.stringify(calls)}`, `Slack Web API calls: ${JSON.stringify(calls)}`);
  const teamsCalls = ms.connector.calls.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.op]: (acc[c.op] ?? 0) + 1 }), {});
  say(print, `Llamadas al Bot Connector de Teams: ${JSON.stringify(teamsCalls)}`, `Teams Bot Connector calls: ${JSON.stringify(teamsCalls)}`);
  print();
  say(print, `Vea las consultas con: npx crm consultations show ${ref}`, `See the consultations with: npx crm consultations show ${ref}`);
  return { reference: ref, outcome: meta.event_payload.outcome, positions: meta.event_payload.positions };
}

/** Everyone on Slack or Teams, by person id, with where the bot reaches them. */
function peopleOf(directory: Directory, ms: DemoTeams): Map<string, Person> {
  const out = new Map<string, Person>();
  const add = (f: Pick<Person, 'name' | 'locale'> & { id: string; slack?: string; teams?: string; reach?: 'slack' | 'teams' | 'email'; email: string }, country?: string) => {
    const reach = reachOf(f);
    if (reach !== 'slack' && reach !== 'teams') return;
    out.set(f.id, {
      id: f.id,
      slack: f.slack ?? '',
      name: f.name,
      locale: f.locale,
      ...(country ? { country } : {}),
      platform: reach,
      ...(f.teams ? { teams: ms.user(f.name, f.teams) } : {}),
    });
  };
  for (const c of directory.countries) for (const f of c.focalPoints) add(f, c.code);
  for (const s of directory.secretariat.staff) add(s);
  return out;
}

/** The Action.Execute `verb` of an Adaptive Card, anywhere in it. */
function executeOf(card: unknown, verb: string): { title: string; data: Record<string, unknown> } | undefined {
  let found: { title: string; data: Record<string, unknown> } | undefined;
  const walk = (n: unknown) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.verb === verb) found = { title: String(o.title ?? verb), data: (o.data as Record<string, unknown> | undefined) ?? {} };
    else Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

function headerOf(blocks: unknown): string {
  const h = (Array.isArray(blocks) ? blocks : []).find((b) => (b as { type?: string }).type === 'header') as { text?: { text?: string } } | undefined;
  return h?.text?.text ?? '';
}

function fieldsLine(blocks: unknown): string {
  const list = Array.isArray(blocks) ? (blocks as { type?: string; fields?: { text?: string }[]; text?: { text?: string } }[]) : [];
  const head = headerOf(blocks);
  const fields = list.flatMap((b) => b.fields ?? []).map((f) => unMrkdwn(f.text ?? '').replace(/\n/, ': '));
  // The status's table of answers (one line per country), after its fields.
  const rows = list.filter((b) => b.type === 'section' && b.text?.text).flatMap((b) => unMrkdwn(b.text!.text!).split('\n'));
  return [head, ...fields, ...rows].filter(Boolean).join(' · ');
}

function firstSection(blocks: unknown): string {
  const list = Array.isArray(blocks) ? (blocks as { type?: string; text?: { text?: string } }[]) : [];
  const s = list.find((b) => b.type === 'section' && b.text?.text);
  return s ? unMrkdwn(s.text!.text!).split('\n')[0]! : '';
}
