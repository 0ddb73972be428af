/**
 * `npm run demo -- --meetings`: the meetings on the embedded defaults with the example directory, printed
 * as a bilingual transcript: a GRCM with the two liaison networks' meetings right before it, their
 * segments, the duties derived from them (who owes what, by when), invitations with the rule that admits
 * each person, one refused invitation with its reason, an invitation card as its invitee reads it, the
 * answer, and the calendar file. Everything goes through the same flows as the CLI and Slack; the
 * invitation messages are marked delivered to this transcript (no later `npm start` sends them).
 */
import { randomUUID } from 'node:crypto';
import { openEngine } from '../app/context.ts';
import { localDate } from '../calendar/index.ts';
import { loadConfig } from '../config.ts';
import { addDays, partyOf, type Segment } from '../domain/meetings/index.ts';
import { addMeeting, inviteToMeeting, listDuties, listMeetings, respondToInvitation, type MeetingDeps, type MeetingView } from '../flows/meeting-flows.ts';
import { formatDate } from '../i18n/index.ts';
import { createLogger } from '../log.ts';
import { meetingIcs } from '../messages/meeting-ics.ts';
import { invitationCard } from '../messages/meeting-invitation.ts';
import { dutyName, ineligibleText, kindName, ownerName, segmentName, warningText } from '../messages/meeting-text.ts';
import { renderText } from '../messages/text-render.ts';
import { MeetingStore } from '../store/meeting-store.ts';

type Print = (line?: string) => void;

const TRANSCRIPT = { deliveredTo: 'transcript', by: 'npm run demo -- --meetings' };

export async function runMeetingsDemo(print: Print = (l = '') => process.stdout.write(`${l}\n`), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const engine = await openEngine(config, { logger: createLogger(env.LOG_LEVEL ? config.logLevel : 'warn') });
  const outboxIds: string[] = [];
  try {
    const deps: MeetingDeps = { meetings: new MeetingStore(engine.db.prisma), directory: engine.directory, clock: engine.deps.clock, newId: randomUUID };
    const directory = engine.directory.current();
    const say = (es: string, en: string) => {
      print(`• ${es}`);
      print(`  ${en}`);
    };
    print('══ CRM · Reuniones / Meetings — demo ══');
    say(`Directorio: ${engine.directory.source.path}.`, `Directory: ${engine.directory.source.path}.`);
    print();

    // 1. A GRCM about ten weeks ahead, and the two networks' meetings on the day before it (§3.1).
    const today = localDate(engine.deps.clock.now(), directory.secretariat.timezone);
    const grcmStart = addDays(today, 70);
    const before = addDays(grcmStart, -1);
    const add = async (kind: 'grcm' | 'network_trafficking' | 'network_consular', start: string, end: string): Promise<MeetingView> => {
      const r = await addMeeting(deps, { kind, start, end, city: 'Ciudad de Panamá' });
      if (!r.ok) throw new Error(`demo: meeting not added (${r.code})`);
      return r.view;
    };
    const trafficking = await add('network_trafficking', before, before);
    const consular = await add('network_consular', before, before);
    const grcm = await add('grcm', grcmStart, addDays(grcmStart, 1));
    say('La PPT registra el GRCM y, el día anterior, las reuniones de las dos redes de funcionarios de enlace:', 'The PPT records the GRCM and, on the day before, the meetings of the two liaison officers\' networks:');
    for (const v of [trafficking, consular, grcm]) {
      const m = v.meeting;
      print(`    ${m.reference}  ${m.start}${m.end !== m.start ? `..${m.end}` : ''}  ${kindName(m.kind, 'es')}`);
      print(`    ${' '.repeat(m.reference.length)}  ${' '.repeat(m.start.length + (m.end !== m.start ? m.end.length + 2 : 0))}  ${kindName(m.kind, 'en')}`);
      print(`      sesiones / segments: ${m.segments.map((s) => `${segmentName(s, 'es')} / ${segmentName(s, 'en')}`).join('; ')}`);
    }
    // Warnings are recomputed on every read: the networks' warning clears once the GRCM exists.
    const ours = new Set([trafficking.meeting.id, consular.meeting.id, grcm.meeting.id]);
    const warnings = (await listMeetings(deps)).filter((v) => ours.has(v.meeting.id)).flatMap((v) => v.warnings);
    if (warnings.length === 0) say('Sin advertencias: las redes terminan justo antes del GRCM.', 'No warnings: the networks end right before the GRCM.');
    for (const w of warnings) say(warningText(directory, w, 'es'), warningText(directory, w, 'en'));
    print();

    // 2. The duties these meetings create.
    const refs = new Set([trafficking.meeting.reference, consular.meeting.reference, grcm.meeting.reference]);
    const duties = (await listDuties(deps)).filter((d) => d.meeting && refs.has(d.meeting));
    say('Tareas que se derivan de estas reuniones (con responsable y fecha):', 'Duties derived from these meetings (owner and due date):');
    for (const d of duties) {
      print(`    ${d.due}  ${d.state.padEnd(4)}  ${dutyName(d.duty, 'es')} — ${ownerName(directory, d, 'es')}`);
      print(`    ${' '.repeat(d.due.length)}  ${' '.repeat(4)}  ${dutyName(d.duty, 'en')} — ${ownerName(directory, d, 'en')}`);
    }
    print();

    // 3. Invitations, each with the rule that admits the person; one refusal, with its reason.
    say('Invitaciones (cada una con la regla que la admite):', 'Invitations (each with the rule that admits it):');
    const invite = async (v: MeetingView, email: string, segment: Segment) => {
      const who = partyOf(directory, email)?.person.name ?? email;
      const d = await inviteToMeeting(deps, v.meeting.reference, { email, segment });
      if (d.ok) {
        outboxIds.push(...(d.outboxIds ?? []));
        const how = d.outboxIds?.length ? 'tarjeta y calendario por chat / card and calendar file by chat' : 'sin cuenta de chat: la ST le envía la invitación / no chat account: the ST sends the invitation';
        print(`    ✓ ${v.meeting.reference} ${segment}: ${who} (${d.invitation.basis}) — ${how}`);
      } else {
        const detail = 'detail' in d ? d.detail : undefined;
        print(`    ✗ ${v.meeting.reference} ${segment}: ${who} — RECHAZADA / REFUSED, nada registrado / nothing recorded`);
        print(`        es: ${ineligibleText(directory, d.code, detail, 'es')}`);
        print(`        en: ${ineligibleText(directory, d.code, detail, 'en')}`);
      }
      return d;
    };
    await invite(trafficking, 'mariela.campos@example.org', 'deliberation');
    await invite(consular, 'andres.solano@example.org', 'deliberation');
    await invite(consular, 'teresa.alfaro@example.org', 'hearing');
    await invite(trafficking, 'teresa.alfaro@example.org', 'deliberation');
    await invite(grcm, 'esteban.villalobos@example.org', 'main');
    await invite(grcm, 'laura.gomez@example.org', 'main');
    const ana = await invite(grcm, 'ana.rojas@example.org', 'main');
    await invite(grcm, 'daniel.brenes@example.org', 'main');
    print();

    // 4. The invitation card as Ana Rojas reads it on Slack, and her answer.
    if (ana.ok) {
      const fresh = (await deps.meetings.byId(grcm.meeting.id))!;
      say('La tarjeta de invitación que recibe Ana Rojas (en su idioma), y su respuesta:', 'The invitation card Ana Rojas receives (in her language), and her answer:');
      print(renderText(invitationCard(directory, fresh, ana.invitation, 'es'), '    '));
      const r = await respondToInvitation(deps, { meetingId: fresh.id, segment: 'main', personId: 'ana.rojas@example.org', response: 'attend' });
      say(r.ok ? 'Ana pulsa «Asistiré»: respuesta registrada.' : `Respuesta rechazada: ${r.code}`, r.ok ? 'Ana clicks "I will attend": answer recorded.' : `Answer refused: ${r.code}`);
      print();
      const rev = (await deps.meetings.revisionById(fresh.id))!;
      const ics = meetingIcs(fresh, { directory, locale: 'es', sequence: rev.sequence, stamp: rev.updatedAt }).split('\r\n');
      const from = ics.findIndex((l) => l.startsWith('BEGIN:VEVENT'));
      say(`El archivo de calendario que la acompaña (${fresh.reference}.ics, RFC 5545; extracto):`, `The calendar file that comes with it (${fresh.reference}.ics, RFC 5545; excerpt):`);
      for (const l of ics.slice(from, from + 9)) print(`    ${l}`);
      print();
    }
    say(
      `Siga con: npx crm meetings show ${grcm.meeting.reference} --json · npx crm duties --open · npx crm meetings ics ${grcm.meeting.reference}`,
      `Try next: npx crm meetings show ${grcm.meeting.reference} --json · npx crm duties --open · npx crm meetings ics ${grcm.meeting.reference}`,
    );
    print(`  (${formatDate(today, 'es')} / ${formatDate(today, 'en')})`);
  } finally {
    // The invitation messages were delivered here: no later `npm start` sends them.
    for (const id of outboxIds) await engine.outbox.markSent(id, TRANSCRIPT).catch(() => false);
    await engine.close();
  }
}
