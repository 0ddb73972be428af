/**
 * The story `npm run transcript` plays: six consultations over two weeks of January–February 2027 (Panama
 * holds the Pro Tempore Presidency; the Troika is Mexico, Panama and El Salvador), with the people of
 * config/directory.example.yaml. Every step is one person's action through a signed Slack request, or the
 * bot's own timed work (a reminder slot, a deadline, the weekly digest) run by the real job at its planned
 * instant on the virtual clock.
 *
 *   A  consensus: changes requested, a revision, a stale button, a Troika reminder, a changed position,
 *      an extension with its justification, member reminders, early close when the last country answers
 *   B  no consensus: written in English by the ST, silence procedure, an objection with its reason, closed
 *      by the deadline job
 *   C  not endorsed: a Troika objection; then `/crm revisar` resends it as C′, which supersedes it
 *   D  withdrawn by the PPT, with a reason, after circulation
 *   E  withdrawn by the ST during the Troika review
 *   F  incomplete at the deadline: a short deadline with its justification, one focal point unreachable
 *      (the ST is told the message could not be delivered)
 * plus the answers to /crm ayuda, estado, lista and plazo, the Home tab, and three refusals.
 */
import { stateValue } from '../slack-requests.ts';
import { findButton } from '../slack-requests.ts';
import { troikaAt } from '../../directory/presidency.ts';
import { dateInZone } from '../../domain/time.ts';
import { QUEUES } from '../../jobs/names.ts';
import type { World } from './world.ts';

/** The story's first instant: Monday 25 January 2027, 08:30 in San José. */
export const STORY_START = new Date('2027-01-25T08:30:00-06:00');

/** An instant given as San José wall time (UTC−6 all year: Costa Rica keeps no daylight saving). */
const cr = (s: string) => new Date(`${s.replace(' ', 'T')}:00-06:00`);

// The people of the example directory who act (Slack ids).
export const CAST = {
  itzel: 'U0PA0000001', // Panama, the PPT (es)
  ricardo: 'U0PA0000002', // Panama (es)
  fernanda: 'U0MX0000001', // Mexico, Troika (es)
  rodrigo: 'U0SV0000001', // El Salvador, Troika (es)
  luis: 'U0CR0000001', // Costa Rica (es)
  gabriela: 'U0CR0000002', // Costa Rica (es)
  claire: 'U0CA0000001', // Canada (en)
  marisol: 'U0BZ0000001', // Belize (en)
  jennifer: 'U0US0000001', // United States (en)
  carlos: 'U0US0000002', // United States (es)
  analucia: 'U0GT0000001', // Guatemala (es)
  jose: 'U0HN0000001', // Honduras (es)
  ernesto: 'U0NI0000001', // Nicaragua (es)
  yokasta: 'U0DO0000001', // Dominican Republic (es)
  ana: 'U0ST0000001', // Technical Secretariat (es)
  daniel: 'U0ST0000002', // Technical Secretariat (en)
  andre: 'U0JM0000001', // Jamaica, an observer country (en)
} as const;

const TEXT = {
  A: {
    title: 'Posición común ante el aumento de flujos migratorios extrarregionales',
    titleEn: 'Common position on the increase in extra-regional migration flows',
    v1:
      'La CRM expresa su preocupación por el aumento de los flujos migratorios extrarregionales en tránsito por la región, ' +
      'reafirma el respeto a los derechos humanos de las personas migrantes independientemente de su condición migratoria, ' +
      'y encarga a la Secretaría Técnica preparar, con el apoyo de los organismos observadores, un informe de situación para la próxima reunión del GRCM.',
    v1En:
      'The RCM expresses its concern at the increase in extra-regional migration flows in transit through the region, ' +
      'reaffirms respect for the human rights of migrants regardless of their migration status, ' +
      'and asks the Technical Secretariat to prepare, with the support of the observer organisations, a situation report for the next meeting of the RCGM.',
    added: ' Se presta especial atención a la protección de niñas, niños y adolescentes no acompañados.',
    addedEn: ' Particular attention is paid to the protection of unaccompanied children and adolescents.',
    changes: 'Sugerimos mencionar expresamente la protección de niñas, niños y adolescentes no acompañados.',
    extension: 'Nicaragua y la República Dominicana pidieron más tiempo para consultar a sus capitales.',
  },
  B: {
    title: 'Joint statement on the protection of migrant children in transit',
    titleEs: 'Declaración conjunta sobre la protección de la niñez migrante en tránsito',
    text:
      'The RCM calls on its Member Countries to strengthen cooperation on the identification and referral of migrant children in transit, ' +
      'and asks the Technical Secretariat to compile existing good practices for the next Vice-Ministerial Meeting.',
    textEs:
      'La CRM insta a sus Países Miembros a reforzar la cooperación en la identificación y derivación de la niñez migrante en tránsito, ' +
      'y encarga a la Secretaría Técnica recopilar las buenas prácticas existentes para la próxima Reunión Viceministerial.',
    objection: 'Canada cannot support the second part as drafted: compiling good practices needs a mandate from the Vice-Ministers.',
  },
  C: {
    title: 'Declaración sobre movilidad laboral ordenada',
    text:
      'La CRM expresa su apoyo a los programas de movilidad laboral ordenada y segura entre sus Países Miembros, ' +
      'y propone crear un grupo ad hoc que presente recomendaciones a la próxima reunión del GRCM.',
    objection: 'El Salvador considera prematuro crear un grupo ad hoc antes de conocer el informe de la Secretaría Técnica.',
    resent:
      'La CRM expresa su apoyo a los programas de movilidad laboral ordenada y segura entre sus Países Miembros, ' +
      'y encarga a la Secretaría Técnica un informe sobre las experiencias existentes, que se presentará en la próxima reunión del GRCM.',
  },
  D: {
    title: 'Taller regional sobre identificación de personas con necesidades de protección',
    titleEn: 'Regional workshop on identifying people in need of protection',
    text:
      'La CRM respalda la realización, en el primer semestre, de un taller regional sobre identificación y derivación de personas con necesidades ' +
      'de protección internacional, organizado por la Secretaría Técnica con el apoyo del ACNUR.',
    textEn:
      'The RCM endorses holding, in the first half of the year, a regional workshop on identifying and referring people in need of ' +
      'international protection, organised by the Technical Secretariat with the support of UNHCR.',
    withdrawal: 'El ACNUR confirmó que el taller se celebrará en el marco de otra iniciativa regional.',
  },
  E: {
    title: 'Calendario de reuniones técnicas del primer semestre',
    text: 'La CRM aprueba el calendario de reuniones técnicas del primer semestre propuesto por la Presidencia Pro Tempore.',
    withdrawal: 'Withdrawn at the PPT’s request: the calendar will be agreed at the next RCGM meeting instead.',
  },
  F: {
    title: 'Mensaje de solidaridad ante la emergencia por las lluvias en Centroamérica',
    titleEn: 'Message of solidarity on the emergency caused by the rains in Central America',
    text:
      'La CRM expresa su solidaridad con las personas migrantes y las comunidades afectadas por las lluvias en Centroamérica, ' +
      'y exhorta a los organismos observadores a coordinar su apoyo humanitario con las autoridades nacionales.',
    textEn:
      'The RCM expresses its solidarity with migrants and the communities affected by the rains in Central America, ' +
      'and urges the observer organisations to coordinate their humanitarian support with the national authorities.',
    justification: 'La emergencia exige un pronunciamiento antes del fin de semana.',
  },
} as const;

type Position = 'support' | 'object' | 'abstain';

/** Plays the whole story on `w`. Returns the references, by letter. */
export async function playStory(w: World): Promise<Record<string, string>> {
  const d = w.directory;
  const troika = troikaAt(d.presidencies, dateInZone(STORY_START, d.secretariat.timezone));
  if (troika?.current !== 'PA' || troika.countries.join() !== 'MX,PA,SV') {
    throw new Error('the story needs the example directory: Panama as PPT and the Troika MX, PA, SV in January 2027');
  }
  for (const id of Object.values(CAST)) w.person(id);
  const refs: Record<string, string> = {};
  const name = (id: string) => w.person(id).name;

  // ------------------------------------------------------------------------------------ helpers
  const startForm = async (who: string, time: string, note: string, values: Record<string, ReturnType<typeof stateValue.text>>, title: string) => {
    await w.step({ at: cr(time), actor: who, does: '/crm consulta', note }, async () => {
      await w.commandForm(who, who === CAST.daniel ? 'consult' : 'consulta', 'consultation_new', values);
      await w.referenceOf(title);
    });
    return w.referenceOf(title);
  };
  const click = async (ref: string, who: string, action: string, time: string, note: string, reason?: string) => {
    const card = await w.card(who, ref, action);
    const label = findButton(card.message.blocks, action)!.label;
    await w.step({ at: cr(time), actor: who, does: `[ ${label} ] on ${ref}${reason ? `, with the reason “${reason}”` : ''}`, note }, async () => {
      if (reason) await w.clickWithReason(who, card, action, reason);
      else await w.click(who, card, action);
    });
  };
  const answer = (ref: string, who: string, position: Position, time: string, note = `${name(who)} records their country's position.`, reason?: string) =>
    click(ref, who, `position_${position}`, time, note, reason);
  const troikaApproves = async (ref: string, t1: string, t2: string) => {
    await click(ref, CAST.fernanda, 'troika_approve', t1, 'Mexico approves the circulation.');
    await click(ref, CAST.rodrigo, 'troika_approve', t2, 'El Salvador approves: the Troika agrees, the text goes to the 11 Member Countries.');
  };
  const command = (who: string, text: string, time: string, note: string) =>
    w.step({ at: cr(time), actor: who, does: `/crm ${text}`, note }, async () => {
      await w.command(who, text);
    });
  const form = (who: string, text: string, callbackId: string, time: string, note: string, values: Parameters<World['submit']>[2]) =>
    w.step({ at: cr(time), actor: who, does: `/crm ${text}`, note }, () => w.commandForm(who, text, callbackId, values));
  const idOf = async (ref: string) => (await w.consultation(ref)).id;
  const closeAtDeadline = async (ref: string, note: string) => {
    const id = await idOf(ref);
    await w.step({ does: 'the close job, at the deadline', note }, async () => {
      const n = await w.promote(QUEUES.close, (j) => (j.data as { consultationId: string }).consultationId === id, (j) => new Date(new Date((j.data as { deadline: string }).deadline).getTime() + 1));
      if (n !== 1) throw new Error(`expected one close job for ${ref}, found ${n}`);
    });
  };
  const reminders = async (ref: string, audience: 'member' | 'troika', slot: RegExp, note: string) => {
    const id = await idOf(ref);
    await w.step({ does: `the remind jobs (${audience}), at their planned times`, note }, async () => {
      const n = await w.promote(
        QUEUES.remind,
        (j) => {
          const data = j.data as { consultationId: string; audience: string; slot: string };
          return data.consultationId === id && data.audience === audience && slot.test(data.slot);
        },
        (j) => new Date((j.data as { dueAt: string }).dueAt),
      );
      if (n === 0) throw new Error(`no ${audience} reminder planned for ${ref}`);
    });
  };

  // ------------------------------------------------------------------ Monday 25 January 2027
  await command(CAST.andre, 'consulta', '2027-01-25 08:30', 'An observer country’s focal point tries to open a consultation: refused.');
  await command(CAST.itzel, 'ayuda', '2027-01-25 08:40', 'The PPT asks what she can do.');
  await command(CAST.itzel, 'plazo 3', '2027-01-25 08:45', 'The PPT asks when a 3-business-day deadline would end.');
  refs.A = await startForm(
    CAST.itzel,
    '2027-01-25 09:00',
    'A. The PPT opens a consultation (written procedure, 5 business days, with the English text): the Troika is asked.',
    {
      title: stateValue.text(TEXT.A.title),
      proposal: stateValue.text(TEXT.A.v1),
      title_translation: stateValue.text(TEXT.A.titleEn),
      proposal_translation: stateValue.text(TEXT.A.v1En),
    },
    TEXT.A.title,
  );
  const A = refs.A;
  await click(A, CAST.fernanda, 'troika_changes', '2027-01-25 11:30', 'Mexico requests changes, with its reason.', TEXT.A.changes);

  // ------------------------------------------------------------------ Tuesday 26 January
  await reminders(A, 'troika', /^troika-v1$/, 'A. One business day later El Salvador has not reacted: the Troika reminder job fires at 09:00 its time.');
  const v1 = await w.card(CAST.rodrigo, A, 'troika_approve');
  await form(CAST.itzel, `revisar ${A}`, 'revise', '2027-01-26 10:00', 'A. The PPT revises the text (version 2): it goes back to the Troika, earlier approvals void.', {
    proposal: stateValue.text(TEXT.A.v1 + TEXT.A.added),
    proposal_translation: stateValue.text(TEXT.A.v1En + TEXT.A.addedEn),
  });
  await w.step({ at: cr('2027-01-26 10:20'), actor: CAST.rodrigo, does: `[ ${findButton(v1.message.blocks, 'troika_approve')!.label} ] on the card of version 1`, note: 'A. El Salvador clicks the button of the replaced version: refused.' }, async () => {
    await w.click(CAST.rodrigo, v1, 'troika_approve');
  });
  await troikaApproves(A, '2027-01-26 10:30', '2027-01-26 10:45');
  await answer(A, CAST.luis, 'support', '2027-01-26 11:00');
  await answer(A, CAST.fernanda, 'support', '2027-01-26 11:10');
  await answer(A, CAST.itzel, 'support', '2027-01-26 11:20');
  await answer(A, CAST.rodrigo, 'support', '2027-01-26 11:30');
  await answer(A, CAST.analucia, 'support', '2027-01-26 12:00');
  await answer(A, CAST.jose, 'support', '2027-01-26 13:00');
  await answer(A, CAST.claire, 'support', '2027-01-26 14:00');
  await answer(A, CAST.marisol, 'abstain', '2027-01-26 14:30');
  await answer(A, CAST.jennifer, 'support', '2027-01-26 15:00');

  // ------------------------------------------------------------------ Wednesday 27 January
  await answer(A, CAST.carlos, 'abstain', '2027-01-27 09:30', 'A. The other United States focal point changes the country’s position: the latest counts.');
  refs.B = await startForm(
    CAST.daniel,
    '2027-01-27 10:00',
    'B. The ST opens a consultation written in English, with the Spanish text, under the silence procedure.',
    {
      title: stateValue.text(TEXT.B.title),
      proposal: stateValue.text(TEXT.B.text),
      title_translation: stateValue.text(TEXT.B.titleEs),
      proposal_translation: stateValue.text(TEXT.B.textEs),
      rule: stateValue.select('silence'),
    },
    TEXT.B.title,
  );
  const B = refs.B;
  await troikaApproves(B, '2027-01-27 11:00', '2027-01-27 11:15');
  await answer(B, CAST.gabriela, 'support', '2027-01-27 12:00');
  await answer(B, CAST.claire, 'object', '2027-01-27 13:00', 'B. Canada objects, with its reason.', TEXT.B.objection);
  await answer(B, CAST.marisol, 'support', '2027-01-27 14:00');
  await answer(B, CAST.ricardo, 'support', '2027-01-27 15:00');

  // ------------------------------------------------------------------ Thursday 28 January
  await form(CAST.itzel, `prorrogar ${A}`, 'extend', '2027-01-28 09:00', 'A. The PPT extends the deadline to 8 business days from circulation, with a justification.', {
    days: stateValue.number(8),
    justification: stateValue.text(TEXT.A.extension),
  });
  refs.C = await startForm(CAST.itzel, '2027-01-28 10:00', 'C. The PPT opens a consultation in Spanish only.', { title: stateValue.text(TEXT.C.title), proposal: stateValue.text(TEXT.C.text) }, TEXT.C.title);
  const C = refs.C;
  await click(C, CAST.rodrigo, 'troika_object', '2027-01-28 11:00', 'C. El Salvador objects in the Troika: the consultation is not endorsed.', TEXT.C.objection);
  await w.step({ at: cr('2027-01-28 12:00'), actor: CAST.itzel, does: `/crm revisar ${C}`, note: 'C. The PPT resends the revised text: a new consultation (C′) that supersedes C goes to the Troika.' }, async () => {
    await w.commandForm(CAST.itzel, `revisar ${C}`, 'revise', { proposal: stateValue.text(TEXT.C.resent) });
  });
  refs['C′'] = (await w.bot.engine.db.prisma.consultation.findFirstOrThrow({ where: { title: TEXT.C.title }, orderBy: { createdAt: 'desc' } })).reference;
  refs.D = await startForm(
    CAST.itzel,
    '2027-01-28 14:00',
    'D. The PPT opens another consultation.',
    { title: stateValue.text(TEXT.D.title), proposal: stateValue.text(TEXT.D.text), title_translation: stateValue.text(TEXT.D.titleEn), proposal_translation: stateValue.text(TEXT.D.textEn) },
    TEXT.D.title,
  );
  const D = refs.D;
  await troikaApproves(D, '2027-01-28 14:30', '2027-01-28 14:45');
  await answer(D, CAST.luis, 'support', '2027-01-28 15:00');
  await answer(D, CAST.claire, 'abstain', '2027-01-28 15:30');

  // ------------------------------------------------------------------ Friday 29 January
  await form(CAST.itzel, `retirar ${D}`, 'withdraw', '2027-01-29 09:30', 'D. The PPT withdraws it after circulation, with a reason.', { reason: stateValue.text(TEXT.D.withdrawal) });
  refs.E = await startForm(CAST.itzel, '2027-01-29 10:00', 'E. The PPT opens a consultation in Spanish only.', { title: stateValue.text(TEXT.E.title), proposal: stateValue.text(TEXT.E.text) }, TEXT.E.title);
  const E = refs.E;
  await form(CAST.daniel, `withdraw ${E}`, 'withdraw', '2027-01-29 11:00', 'E. The ST withdraws it during the Troika review, with a reason.', { reason: stateValue.text(TEXT.E.withdrawal) });

  // ------------------------------------------------------------------ Monday 1 February
  await w.step({ at: cr('2027-02-01 09:00'), does: 'the weekly digest job (Monday 09:00 in San José)', note: 'The ST channel gets the list of open consultations.' }, async () => {
    const n = await w.promote(QUEUES.digest, () => true, () => cr('2027-02-01 09:00'));
    if (n !== 1) throw new Error(`expected the weekly digest's scheduled job, found ${n}`);
  });
  refs.F = await startForm(
    CAST.ana,
    '2027-02-01 10:00',
    'F. The ST opens a consultation with a 3-business-day deadline and its justification.',
    {
      title: stateValue.text(TEXT.F.title),
      proposal: stateValue.text(TEXT.F.text),
      title_translation: stateValue.text(TEXT.F.titleEn),
      proposal_translation: stateValue.text(TEXT.F.textEn),
      days: stateValue.number(3),
      justification: stateValue.text(TEXT.F.justification),
    },
    TEXT.F.title,
  );
  const F = refs.F;
  await click(F, CAST.fernanda, 'troika_approve', '2027-02-01 10:30', 'Mexico approves the circulation.');
  // Nicaragua's only focal point cannot be reached when F circulates (a deactivated Slack account).
  w.slack.setUnreachable(CAST.ernesto);
  await click(F, CAST.rodrigo, 'troika_approve', '2027-02-01 10:45', 'F. El Salvador approves: F circulates. Slack refuses the message to Nicaragua’s focal point (user_not_found): the ST channel is told.');
  w.slack.setUnreachable(CAST.ernesto, null);
  await answer(F, CAST.luis, 'support', '2027-02-01 11:00');
  await answer(F, CAST.fernanda, 'support', '2027-02-01 11:30');
  await answer(F, CAST.jennifer, 'support', '2027-02-01 12:00');
  await answer(F, CAST.analucia, 'support', '2027-02-01 12:30');

  // ------------------------------------------------------------------ Tuesday 2 February
  await command(CAST.luis, `estado ${A}`, '2027-02-02 09:00', 'A member focal point asks for the status of A.');
  await command(CAST.claire, `status ${B}`, '2027-02-02 09:05', 'The same in English, on B.');
  await command(CAST.ana, 'lista', '2027-02-02 09:10', 'The ST lists the open consultations.');
  await command(CAST.daniel, 'list', '2027-02-02 09:15', 'The same in English.');
  await command(CAST.daniel, 'deadline 3', '2027-02-02 09:20', 'The deadline answer in English.');
  await command(CAST.jennifer, 'help', '2027-02-02 09:25', 'The help in English, to a member focal point.');
  for (const [who, time, note] of [
    [CAST.yokasta, '2027-02-02 09:30', 'The Home tab of a focal point whose country has not answered A, B and F.'],
    [CAST.jennifer, '2027-02-02 09:35', 'The Home tab in English.'],
    [CAST.daniel, '2027-02-02 09:40', 'The Home tab of ST staff.'],
    [CAST.andre, '2027-02-02 09:45', 'The Home tab of an observer country’s focal point.'],
  ] as const) {
    await w.step({ at: cr(time), actor: who, does: 'opens the Home tab', note }, () => w.openHome(who));
  }
  // A copy of Mexico's Troika card of C′ (still under review) reaches the United States' focal point.
  const troikaCard = await w.card(CAST.fernanda, refs['C′']!, 'troika_approve');
  await w.step({ at: cr('2027-02-02 10:00'), actor: CAST.jennifer, does: `[ ${findButton(troikaCard.message.blocks, 'troika_approve')!.label} ] on a copy of Mexico’s Troika card of ${refs['C′']}`, note: 'A focal point of a country outside the Troika tries to approve in its place: refused.' }, async () => {
    await w.click(CAST.jennifer, troikaCard, 'troika_approve');
  });
  await command(CAST.luis, `prorrogar ${A}`, '2027-02-02 10:10', 'A member focal point who is neither the PPT nor the ST tries to extend A: refused.');

  // ------------------------------------------------------------------ Wednesday 3 February
  await reminders(A, 'member', /^D-2$/, 'A. Two business days before the extended deadline, the remind jobs fire at 09:00 in each person’s zone for the countries that have not answered.');
  await answer(A, CAST.ernesto, 'support', '2027-02-03 10:00');
  await answer(A, CAST.yokasta, 'support', '2027-02-03 10:30', 'A. The last country answers: every Member Country has answered, A closes at once.');

  // ------------------------------------------------------------------ Thursday 4 / Friday 5 February
  await closeAtDeadline(B, 'B. Its deadline passes: the close job closes it (silence procedure, one objection).');
  await closeAtDeadline(F, 'F. Its deadline passes: the close job closes it with countries missing.');
  return refs;
}
