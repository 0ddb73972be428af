/**
 * `npm run demo`: one special consultation played through the flows on the embedded defaults with the
 * example directory, printed as a bilingual transcript: who was asked what, each reaction and position,
 * the refusals people get, the outcome and the messages written to the outbox. The embedded database
 * stays in CRM_DATA_DIR, so `npx crm consultations` (or a second run) shows what happened.
 *
 * Nothing is left to send: the transcript is where this consultation's messages were delivered, so at
 * the end they are marked sent there (receipt `{ deliveredTo: 'transcript' }`). A later `npm start` on
 * the same data, with Slack configured, never sends them to anyone.
 */
import { randomUUID } from 'node:crypto';
import { openEngine, type Engine } from '../app/context.ts';
import { loadConfig } from '../config.ts';
import { pptInOffice } from '../domain/authority.ts';
import type { CommandActor, ConsultationState } from '../domain/types.ts';
import type { Directory } from '../directory/model.ts';
import { troikaAt } from '../directory/presidency.ts';
import { dateInZone } from '../domain/time.ts';
import { countryName } from '../flows/effects.ts';
import { consultationFlows, type FlowResult } from '../flows/index.ts';
import { identify } from '../flows/people.ts';
import { formatInstant, refusalMessage } from '../i18n/index.ts';
import { createLogger } from '../log.ts';
import type { NeutralMessage, Recipient } from '../messages/neutral.ts';
import { renderText } from '../messages/text-render.ts';

type Print = (line?: string) => void;

/** `leavePending`: the messages stay in the outbox for the bot to deliver (`npm run demo -- --console`). */
export async function runDemo(
  print: Print = (l = '') => process.stdout.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
  options: { leavePending?: boolean } = {},
): Promise<ConsultationState> {
  const config = loadConfig(env);
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'warn');
  const engine = await openEngine(config, { logger });
  const created: string[] = [];
  try {
    return await play(engine, print, config.dataDir, config.databaseUrl !== undefined, created, options.leavePending === true);
  } finally {
    // Also when a step failed: nothing of the demo's stays pending for a later `npm start` to send.
    if (!options.leavePending) for (const id of created) await engine.outbox.markConsultationDeliveredElsewhere(id, TRANSCRIPT).catch(() => 0);
    await engine.close();
  }
}

/** Where the engine demo's messages were delivered (the outbox receipt). */
const TRANSCRIPT = { deliveredTo: 'transcript', by: 'npm run demo -- --engine' };

const say = (print: Print, es: string, en: string) => {
  print(`• ${es}`);
  print(`  ${en}`);
};

async function play(engine: Engine, print: Print, dataDir: string, external: boolean, created: string[], leavePending = false): Promise<ConsultationState> {
  const directory = engine.directory.current();
  const deps = engine.deps;
  const now = deps.clock.now();
  print('══ CRM · Consulta especial / Special consultation — demo ══');
  say(
    print,
    `Base de datos: ${external ? 'PostgreSQL (DATABASE_URL)' : `PGlite embebida en ${dataDir}`}; directorio: ${engine.directory.source.path}.`,
    `Database: ${external ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${dataDir}`}; directory: ${engine.directory.source.path}.`,
  );
  const earlier = await engine.consultations.listConsultations();
  if (earlier.length) {
    say(print, `Consultas anteriores en esta base: ${earlier.length}.`, `Earlier consultations in this database: ${earlier.length}.`);
    for (const c of earlier) print(`    ${c.reference}  ${c.stage}  ${c.outcome ?? ''}  ${c.title}`);
  }
  print();

  const today = dateInZone(now, directory.secretariat.timezone);
  const ppt = pptInOffice({ members: [], presidencies: directory.presidencies, secretariatTimeZone: directory.secretariat.timezone }, now);
  const troika = troikaAt(directory.presidencies, today);
  if (!ppt || !troika) throw new Error(`the directory has no Presidency on ${today}: the demo needs one`);
  const focal = (code: string, i = 0): CommandActor => {
    const fp = directory.countries.find((c) => c.code === code)?.focalPoints[i];
    const actor = fp?.slack ? identify(directory, { platform: 'slack', userId: fp.slack }) : undefined;
    if (!actor) throw new Error(`the example directory has no focal point ${i + 1} for ${code}`);
    return actor;
  };
  const name = (code: string) => `${countryName(directory, code, 'es')} / ${countryName(directory, code, 'en')}`;
  const key = () => `demo:${randomUUID()}`;
  const shown = new Set<string>();
  const show = async (consultationId: string) => printOutbox(engine, consultationId, shown, directory, print);

  // 1. The PPT presents the proposal in writing to the Troika.
  const author = focal(ppt);
  say(
    print,
    `${author.name} (punto focal de ${countryName(directory, ppt, 'es')}, PPT) presenta una propuesta por escrito a la Troika: ${troika.countries.map((c) => countryName(directory, c, 'es')).join(', ')}${troika.incomplete ? ' (Troika de dos países: la PPT entrante no está designada)' : ''}.`,
    `${author.name} (focal point of ${countryName(directory, ppt, 'en')}, the PPT) presents a written proposal to the Troika: ${troika.countries.map((c) => countryName(directory, c, 'en')).join(', ')}${troika.incomplete ? ' (a two-country Troika: no incoming PPT designated)' : ''}.`,
  );
  const started = expectOk(
    await consultationFlows.startConsultation(deps, {
      key: key(),
      actor: author,
      title: 'Posición común ante el aumento de flujos migratorios extrarregionales',
      text:
        'La CRM expresa su preocupación por el aumento de los flujos migratorios extrarregionales en tránsito por la región, ' +
        'reafirma el respeto a los derechos humanos de las personas migrantes independientemente de su condición migratoria, ' +
        'y encarga a la Secretaría Técnica preparar, con el apoyo de los organismos observadores, un informe de situación para la próxima reunión del GRCM.',
      deadline: { kind: 'business_days', days: 5 },
      rule: 'explicit',
    }),
  );
  const id = started.state.consultationId;
  created.push(id);
  say(print, `Referencia asignada: ${started.state.reference}. Mensajes enviados:`, `Reference assigned: ${started.state.reference}. Messages sent:`);
  await show(id);

  const others = troika.countries.filter((c) => c !== ppt);
  const [first, second] = others;

  // 2. Someone outside the Troika tries to answer: refused, in their language.
  const observer = directory.countries.find((c) => c.status === 'observer' && c.focalPoints.length > 0);
  if (observer?.focalPoints[0]?.slack) {
    const who = identify(directory, { platform: 'slack', userId: observer.focalPoints[0].slack })!;
    const r = await consultationFlows.reactTroika(deps, { key: key(), actor: who, consultationId: id, version: started.state.currentVersion, reaction: 'approve' });
    refusal(print, who.name, `observador / observer ${name(observer.code)}`, r, observer.focalPoints[0].locale);
  }

  // 3. A Troika country asks for changes; the PPT revises; earlier approvals are void.
  let state = started.state;
  if (first) {
    const fa = focal(first);
    say(print, `${fa.name} (${countryName(directory, first, 'es')}) solicita cambios.`, `${fa.name} (${countryName(directory, first, 'en')}) requests changes.`);
    state = expectOk(
      await consultationFlows.reactTroika(deps, {
        key: key(),
        actor: fa,
        consultationId: id,
        version: state.currentVersion,
        reaction: 'request_changes',
        reason: 'Sugerimos mencionar expresamente la protección de niñas, niños y adolescentes no acompañados.',
      }),
    ).state;
    const old = state.currentVersion;
    say(print, `${author.name} revisa el texto: nueva versión, se consulta de nuevo a la Troika.`, `${author.name} revises the text: a new version goes back to the Troika.`);
    state = expectOk(
      await consultationFlows.revise(deps, {
        key: key(),
        actor: author,
        consultationId: id,
        text: `${state.text} Se presta especial atención a la protección de niñas, niños y adolescentes no acompañados.`,
      }),
    ).state;
    await show(id);
    const stale = await consultationFlows.reactTroika(deps, { key: key(), actor: fa, consultationId: id, version: old, reaction: 'approve' });
    refusal(print, fa.name, `botón de la versión anterior / button of the earlier version`, stale, 'es');
    for (const c of [first, second]) {
      if (!c) continue;
      const a = focal(c);
      say(print, `${a.name} (${countryName(directory, c, 'es')}) aprueba la versión ${state.versions.length}.`, `${a.name} (${countryName(directory, c, 'en')}) approves version ${state.versions.length}.`);
      state = expectOk(await consultationFlows.reactTroika(deps, { key: key(), actor: a, consultationId: id, version: state.currentVersion, reaction: 'approve' })).state;
    }
  }
  const deadline = (locale: 'es' | 'en') =>
    state.deadline ? formatInstant(new Date(state.deadline), { locale, timeZone: directory.secretariat.timezone }) : '—';
  say(
    print,
    `Consenso de la Troika: el texto circula a los ${state.participants.members.length} Países Miembros; plazo: ${deadline('es')}.`,
    `Troika consensus: the text goes to all ${state.participants.members.length} Member Countries; deadline: ${deadline('en')}.`,
  );
  if (state.unverifiedYears.length) {
    say(print, `Advertencia: feriados no verificados para ${state.unverifiedYears.join(', ')}.`, `Warning: holidays not verified for ${state.unverifiedYears.join(', ')}.`);
  }
  await show(id);

  // 4. Member Countries answer; one changes its position; one person tries to answer for another country.
  const intruder = focal('CA');
  const wrong = await consultationFlows.recordPosition(deps, { key: key(), actor: intruder, consultationId: id, country: 'MX', position: 'object', reason: 'x', version: state.currentVersion });
  refusal(print, intruder.name, `Canadá intenta responder por México / Canada tries to answer for Mexico`, wrong, 'en');
  const members = state.participants.members.map((m) => m.code);
  for (const code of members) {
    const a = focal(code);
    const position = code === 'US' ? 'support' : code === 'BZ' ? 'abstain' : 'support';
    const r = expectOk(await consultationFlows.recordPosition(deps, { key: key(), actor: a, consultationId: id, position, version: state.currentVersion }));
    state = r.state;
    print(`  ${code}  ${a.name.padEnd(22)} → ${position}`);
    if (code === 'US') {
      const b = focal('US', 1);
      state = expectOk(await consultationFlows.recordPosition(deps, { key: key(), actor: b, consultationId: id, position: 'abstain', version: state.currentVersion })).state;
      print(`  US  ${b.name.padEnd(22)} → abstain (cambia la posición de su país / changes their country's position)`);
    }
  }
  print();
  say(
    print,
    `Todos los Países Miembros respondieron: la consulta cierra antes del plazo. Resultado: ${state.outcome}.`,
    `Every Member Country answered: the consultation closes early. Outcome: ${state.outcome}.`,
  );
  await show(id);

  const counts = await engine.db.prisma.outboxMessage.groupBy({ by: ['kind', 'platform'], where: { consultationId: id }, _count: { _all: true } });
  say(print, 'Bandeja de salida (outbox) de esta consulta:', 'Outbox of this consultation:');
  for (const c of counts.sort((a, b) => a.kind.localeCompare(b.kind))) print(`    ${c.kind.padEnd(18)} ${c.platform.padEnd(12)} ${c._count._all}`);
  if (leavePending) say(print, 'Sus mensajes quedan en la bandeja de salida: la consola los mostrará.', 'Its messages stay in the outbox: the console will show them.');
  const settled = leavePending ? 0 : await engine.outbox.markConsultationDeliveredElsewhere(id, TRANSCRIPT);
  if (!leavePending) {
    say(
      print,
      `Los ${settled} mensajes de esta consulta fueron a esta transcripción, no a Slack: quedan como enviados y \`npm start\` no los enviará a nadie.`,
      `This consultation's ${settled} messages went to this transcript, not to Slack: they are marked sent, and \`npm start\` will not send them to anyone.`,
    );
  }
  const events = await engine.consultations.events(id);
  say(print, `Registro de auditoría: ${events.length} eventos.`, `Audit record: ${events.length} events.`);
  print();
  say(
    print,
    `Vea las consultas con: npx crm consultations   (o: npx crm consultations show ${state.reference})`,
    `See the consultations with: npx crm consultations   (or: npx crm consultations show ${state.reference})`,
  );
  return state;
}

function expectOk(r: FlowResult): Extract<FlowResult, { ok: true }> {
  if (!r.ok) throw new Error(`demo step refused unexpectedly: ${r.code} ${JSON.stringify(r.detail ?? {})}`);
  return r;
}

function refusal(print: Print, who: string, what: string, r: FlowResult, locale: 'es' | 'en'): void {
  if (r.ok) throw new Error(`demo: expected a refusal for ${who}`);
  print(`  ✗ ${who} — ${what}`);
  print(`    → ${refusalMessage(locale, r.code, r.detail)}  [${r.code}]`);
  print();
}

/** Prints the messages written since the last call: one in full per kind and language, then the other recipients. */
async function printOutbox(engine: Engine, consultationId: string, shown: Set<string>, directory: Directory, print: Print): Promise<void> {
  const rows = await engine.db.prisma.outboxMessage.findMany({ where: { consultationId }, orderBy: [{ createdAt: 'asc' }, { dedupeKey: 'asc' }] });
  const fresh = rows.filter((r) => !shown.has(r.id));
  fresh.forEach((r) => shown.add(r.id));
  const full = new Set<string>();
  const rest = new Map<string, string[]>();
  for (const r of fresh) {
    const m = r.payload as unknown as NeutralMessage;
    const to = recipientLabel(r.recipient as unknown as Recipient, directory);
    const group = `${m.kind}/${m.locale}`;
    if (m.kind === 'status') continue;
    if (!full.has(group)) {
      full.add(group);
      print(`  → ${to} · ${r.platform} · ${m.locale}`);
      print(renderText(m, '    '));
    } else {
      rest.set(m.kind, [...(rest.get(m.kind) ?? []), to]);
    }
  }
  for (const [kind, to] of rest) print(`  → (${kind}) también / also: ${to.join('; ')}`);
  print();
}

function recipientLabel(r: Recipient, directory: Directory): string {
  if (r.kind === 'secretariat_channel') return `canal de la ST / ST channel ${r.slack ?? r.teams ?? '(none)'}`;
  const country = directory.countries.find((c) => c.focalPoints.some((f) => f.id === r.personId));
  return `${r.name}${country ? ` (${country.code})` : ''}`;
}
