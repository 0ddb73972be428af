/**
 * Spanish catalogue: the source of truth for message keys (Spanish first). ./messages.en.ts must have
 * exactly the same keys with the same parameters, or the type check fails.
 *
 * Conventions:
 * - Plain text, no Slack mrkdwn or Markdown: the renderers decide emphasis and escape user text.
 * - Formal register (usted), addressed to government officials; say what happened and what to do next.
 * - A message with parameters is a function of one object; dates arrive already formatted
 *   (see ./format.ts) so a message never guesses a time zone.
 * - Keys are flat, dotted: `refusal.<code>`, `stage.<stage>`, `position.<position>`, `outcome.<outcome>`,
 *   then one prefix per notice (`troika_request.*`, `member_request.*`, `reminder.*`, `result.*`, `digest.*`).
 */
import { quotedSentence, sentence } from './text.ts';
import type { MessageShape } from './types.ts';

interface Ref {
  reference: string;
}
interface RefTitle extends Ref {
  title: string;
}

export const es = {
  // ---- Refusals: one per domain refusal code (src/domain/types.ts RefusalCode), plus the adapters' own ----
  'refusal.invalid_command': 'La solicitud no es válida. Revise los datos e inténtelo de nuevo.',
  'refusal.invalid_time': 'No fue posible determinar la hora actual. Inténtelo de nuevo.',
  'refusal.not_found': 'No se encontró la consulta indicada. Verifique la referencia.',
  'refusal.already_exists': 'Esta consulta ya fue creada.',
  'refusal.consultation_mismatch': 'La acción no corresponde a esta consulta.',
  'refusal.consultation_closed': 'La consulta ya concluyó; no admite más acciones.',
  'refusal.wrong_stage': 'La consulta no está en la etapa que permite esta acción.',
  'refusal.not_authorized': 'No tiene autorización para realizar esta acción.',
  'refusal.not_troika_member': 'Solo los puntos focales de los países de la Troika de esta consulta pueden pronunciarse en esta etapa.',
  'refusal.author_country': 'Su país presenta este texto como Presidencia Pro Tempore y lo aprueba como autor; no se pronuncia sobre él.',
  'refusal.country_ambiguous': 'Usted es punto focal de más de un país de la Troika; indique en nombre de cuál se pronuncia.',
  'refusal.not_member_country':
    'Solo los Países Miembros se pronuncian en las consultas especiales; los países y organismos observadores no registran posición.',
  'refusal.not_focal_point_of_country': 'Solo los puntos focales registrados de un país pueden registrar la posición de ese país.',
  'refusal.invalid_participants': 'El directorio de la CRM está incompleto o es inválido; la Secretaría Técnica debe corregirlo.',
  'refusal.invalid_calendar_policy':
    'El calendario indicado no existe. Elija el de la Secretaría Técnica, el común a todos los Países Miembros o el de un País Miembro.',
  'refusal.reference_required': 'Falta la referencia de la consulta.',
  'refusal.title_required': 'Debe indicar un título para la consulta.',
  'refusal.title_too_long': (p: { max: number }) => `El título supera el máximo de ${p.max} caracteres.`,
  'refusal.text_required': 'Debe incluir el texto de la propuesta.',
  'refusal.text_too_long': (p: { max: number }) => `El texto de la propuesta supera el máximo de ${p.max} caracteres.`,
  'refusal.text_unchanged': 'El texto revisado es idéntico a la versión vigente.',
  'refusal.invalid_days': (p: { min: number; max: number }) =>
    `El número de días hábiles debe ser un entero entre ${p.min} y ${p.max}.`,
  'refusal.invalid_deadline': 'La fecha límite indicada no es válida.',
  'refusal.justification_required':
    'Debe justificar un plazo menor de cinco días hábiles o una fecha límite fijada expresamente.',
  'refusal.justification_too_long': (p: { max: number }) => `La justificación supera el máximo de ${p.max} caracteres.`,
  'refusal.reason_required': 'Debe indicar el motivo.',
  'refusal.reason_too_long': (p: { max: number }) => `El motivo supera el máximo de ${p.max} caracteres.`,
  'refusal.deadline_in_past': 'La fecha límite indicada ya pasó. Indique una fecha futura.',
  'refusal.deadline_passed': 'La fecha límite de la consulta ya pasó; el cierre está en curso.',
  'refusal.deadline_not_later': 'La nueva fecha límite debe ser posterior a la vigente.',
  'refusal.deadline_not_reached': 'La fecha límite aún no se ha cumplido.',
  'refusal.stale_version':
    'El texto de la propuesta cambió desde que recibió este mensaje. Revise la versión vigente y vuelva a pronunciarse.',
  'refusal.already_recorded': 'Esa decisión ya estaba registrada para su país sobre el texto vigente; no se hizo ningún cambio.',
  'refusal.no_presidency': 'No hay una Presidencia Pro Tempore registrada para hoy en el directorio.',
  'refusal.calendar_mismatch': 'Error de calendario interno. La Secretaría Técnica fue notificada.',
  'refusal.calendar_error': 'No fue posible calcular la fecha límite con el calendario indicado.',
  'refusal.internal_error': 'Ocurrió un error inesperado. La Secretaría Técnica fue notificada.',
  'refusal.not_in_directory': 'Usted no figura en el directorio de la CRM. Si debería figurar, contacte a la Secretaría Técnica.',
  'refusal.invalid_input': 'Los datos enviados no son válidos. Revíselos e inténtelo de nuevo.',
  'refusal.unknown': 'No fue posible realizar la acción solicitada.',

  // ---- Unexpected failures (never the raw error) ----
  'error.internal': (p: { requestId: string }) =>
    `Ocurrió un error inesperado. La Secretaría Técnica fue notificada. Referencia técnica: ${p.requestId}.`,

  // ---- Stages of a consultation ----
  'stage.draft': 'Borrador',
  'stage.troika_review': 'En revisión de la Troika',
  'stage.member_consultation': 'Abierta a posiciones de los Países Miembros',
  'stage.closed': 'Cerrada',
  'stage.withdrawn': 'Retirada',
  'stage.not_endorsed': 'No avalada por la Troika',

  // ---- Positions of a Member Country ----
  'position.support': 'Apoya',
  'position.object': 'Objeta',
  'position.abstain': 'Se abstiene',
  'position.none': 'Sin respuesta',

  // ---- Troika decisions ----
  'troika_decision.approve': 'Aprueba la circulación',
  'troika_decision.changes': 'Solicita cambios',
  'troika_decision.object': 'Objeta',
  'troika_decision.none': 'Sin respuesta',

  // ---- Outcomes ----
  'outcome.consensus': 'Consenso',
  'outcome.no_consensus': 'Sin consenso',
  'outcome.incomplete': 'Incompleta (no respondieron todos los Países Miembros)',
  'outcome.not_endorsed': 'No avalada por la Troika',
  'outcome.withdrawn': 'Retirada',

  // ---- Decision rules ----
  'rule.explicit': 'Procedimiento escrito',
  'rule.silence': 'Procedimiento de silencio',
  'rule.explicit.explanation':
    'Hay consenso cuando todos los Países Miembros responden y ninguno objeta; las abstenciones no impiden el consenso. Si algún País Miembro no responde antes de la fecha límite, la consulta queda incompleta.',
  'rule.silence.explanation':
    'Hay consenso si ningún País Miembro objeta: la falta de respuesta antes de la fecha límite cuenta como no objeción, y las abstenciones no impiden el consenso.',

  // ---- Common labels ----
  'label.reference': 'Referencia',
  'label.title': 'Título',
  'label.proposal': 'Propuesta',
  'label.version': 'Versión del texto',
  'label.stage': 'Etapa',
  'label.rule': 'Regla de decisión',
  'label.deadline': 'Fecha límite',
  'label.submitted_by': 'Presentada por',
  'label.country': 'País',
  'label.position': 'Posición',
  'label.reason': 'Motivo',
  'label.justification': 'Justificación del plazo',
  'label.outcome': 'Resultado',

  // ---- New-consultation form ----
  'form.consultation_new.heading': 'Nueva consulta especial',
  'form.consultation_new.submit': 'Enviar a la Troika',
  'form.consultation_new.cancel': 'Cancelar',
  'form.title.label': 'Título',
  'form.proposal.label': 'Texto de la propuesta',
  'form.days.label': 'Plazo en días hábiles',
  'form.days.hint': 'Cinco días hábiles, salvo justificación.',
  'form.deadline.label': 'Fecha límite expresa (opcional)',
  'form.deadline.hint': 'Sustituye el plazo en días hábiles.',
  'form.deadline.time_label': 'Hora',
  'form.required': 'Este campo es obligatorio.',
  'form.rule.label': 'Regla de decisión',
  'form.justification.label': 'Justificación',
  'form.justification.hint': 'Obligatoria si el plazo es menor de cinco días hábiles o si se fija una fecha límite.',
  'form.reason.heading': 'Indique el motivo',
  'form.reason.label': 'Motivo',
  'form.reason.submit': 'Enviar',

  // ---- Troika request ----
  'troika_request.heading': (p: Ref) => `Solicitud de revisión de la Troika: consulta ${p.reference}`,
  'troika_request.intro': (p: RefTitle & { submittedBy: string }) =>
    `La Presidencia Pro Tempore, a cargo de ${p.submittedBy}, presenta a la Troika la propuesta «${p.title}» (${p.reference}) para su reacción preliminar, antes de circularla a los Países Miembros.`,
  'troika_request.ask': 'Le rogamos indicar si aprueba su circulación, si solicita cambios o si la objeta.',
  'troika_request.approve': 'Aprobar circulación',
  'troika_request.changes': 'Solicitar cambios',
  'troika_request.object': 'Objetar',
  'troika_request.recorded': (p: { decision: string; country: string }) =>
    `Se registró la decisión de ${p.country}: ${p.decision}.`,

  // ---- Member request ----
  'member_request.heading': (p: Ref) => `Consulta especial ${p.reference}: se solicita su posición`,
  'member_request.intro': (p: RefTitle & { country: string; deadline: string }) =>
    `Se solicita la posición de ${p.country} sobre la propuesta «${p.title}» (${p.reference}). Plazo para responder: ${p.deadline}.`,
  'member_request.rule': (p: { rule: string }) => `Regla de decisión: ${p.rule}.`,
  'member_request.support': 'Apoyar',
  'member_request.object': 'Objetar',
  'member_request.abstain': 'Abstenerse',
  'member_request.recorded': (p: { country: string; position: string }) =>
    `Se registró la posición de ${p.country}: ${p.position}. Puede modificarla hasta la fecha límite.`,
  'member_request.new_version': (p: { reference: string; version: number }) =>
    `El texto de la consulta ${p.reference} fue actualizado (versión ${p.version}). Las posiciones registradas sobre versiones anteriores deben confirmarse.`,

  // ---- Reminder ----
  'reminder.heading': (p: Ref) => `Recordatorio: consulta ${p.reference}`,
  'reminder.body': (p: RefTitle & { country: string; deadline: string }) =>
    `Aún no consta la posición de ${p.country} sobre la propuesta «${p.title}» (${p.reference}). Plazo para responder: ${p.deadline}.`,
  'reminder.troika_body': (p: RefTitle & { deadline: string }) =>
    `La propuesta «${p.title}» (${p.reference}) sigue pendiente de revisión de la Troika. Se agradece su respuesta antes del ${p.deadline}.`,

  // ---- Result notice ----
  'result.heading': (p: Ref) => `Resultado de la consulta ${p.reference}`,
  'result.body': (p: RefTitle & { outcome: string; closedAt: string }) =>
    `La consulta sobre la propuesta «${p.title}» (${p.reference}) concluyó el ${p.closedAt}. Resultado: ${p.outcome}.`,
  'result.your_position': (p: { country: string; position: string }) => `Posición registrada de ${p.country}: ${p.position}.`,
  'result.your_no_position': (p: { country: string }) => `No se registró ninguna posición de ${p.country}.`,
  'result.not_endorsed_body': (p: RefTitle) =>
    `La Troika no avaló la circulación de la propuesta «${p.title}» (${p.reference}); la consulta concluye sin circular.`,
  'result.withdrawn_body': (p: RefTitle) => `La propuesta «${p.title}» (${p.reference}) fue retirada.`,

  // ---- Digest for the Technical Secretariat channel ----
  'digest.heading': (p: Ref) => `Resumen de la consulta ${p.reference}`,
  'digest.positions_heading': 'Posiciones de los Países Miembros',
  'digest.troika_heading': 'Decisiones de la Troika',
  'digest.counts': (p: { support: number; object: number; abstain: number; none: number }) =>
    `Apoyan: ${p.support} · Objetan: ${p.object} · Se abstienen: ${p.abstain} · Sin respuesta: ${p.none}`,
  'digest.objections_heading': 'Motivos de las objeciones',
  'digest.open_heading': 'Consultas abiertas',
  'digest.none_open': 'No hay consultas abiertas.',
  'weekly.late_duties': (p: { count: number }) =>
    p.count === 1 ? 'Hay 1 tarea de las reuniones atrasada:' : `Hay ${p.count} tareas de las reuniones atrasadas:`,
  'weekly.late_duty': (p: { duty: string; meeting: string; owner: string; due: string }) => `• ${p.duty} (${p.meeting}): ${p.owner}, vencía el ${p.due}.`,

  // ---- Deadlines ----
  'deadline.summary': (p: { days: number; deadline: string }) =>
    `Una consulta circulada ahora cerraría tras ${p.days} ${p.days === 1 ? 'día hábil' : 'días hábiles'}. Fecha límite: ${p.deadline}.`,
  'deadline.skipped_holiday': (p: { date: string; name: string }) => `${p.date}: ${p.name}`,
  'deadline.unverified_years': (p: { years: string }) =>
    `Advertencia: los feriados de ${p.years} no han sido verificados por la Secretaría Técnica.`,
  'label.troika': 'Troika',
  'label.answers': 'Respuestas',
  'label.positions': 'Posiciones',
  'troika_request.revised': (p: { reference: string; version: number }) =>
    `El texto de la consulta ${p.reference} fue revisado (versión ${p.version}); las aprobaciones anteriores quedan sin efecto.`,
  'extension.heading': (p: Ref) => `Consulta ${p.reference}: plazo prorrogado`,
  'extension.body': (p: RefTitle & { deadline: string }) =>
    `Se prorrogó el plazo para responder a la propuesta «${p.title}» (${p.reference}). Nueva fecha límite: ${p.deadline}.`,
  'digest.started': 'Iniciada',
  'digest.sent_to_troika': 'Enviada a la Troika',
  'digest.circulated': 'Circulada a los Países Miembros',
  'digest.extended': 'Plazo prorrogado',
  'digest.ended': 'Concluida',
  'digest.author_implicit': 'país proponente',
  'digest.missing': 'Sin respuesta',
  'digest.who': 'Registrada por',
  'digest.when': 'Fecha',
  'time.zone_of': (p: { place: string }) => `hora de ${p.place}`,
  // ---- Reminders and the weekly digest (jobs) ----
  'reminder.troika_pending': (p: RefTitle & { since: string }) =>
    `La propuesta «${p.title}» (${p.reference}) espera su revisión como miembro de la Troika desde el ${p.since}.`,
  'reminder.troika_act_here': 'Puede aprobar su circulación, solicitar cambios u objetarla con los botones de este mensaje.',
  'reminder.act_here': 'Puede registrar la posición de su país con los botones de este mensaje.',
  'weekly.heading': (p: { week: string }) => `Consultas abiertas, semana del ${p.week}`,
  'weekly.intro': (p: { count: number }) =>
    p.count === 1 ? 'Hay 1 consulta abierta.' : `Hay ${p.count} consultas abiertas.`,
  'weekly.troika_reactions': (p: { reacted: number; total: number }) => `Troika: ${p.reacted}/${p.total} decisiones`,

  // ---- Slack adapter: cards, forms, Home tab (adapters/slack) ----
  'slack.proposal_truncated': (p: Ref) =>
    `El texto completo es demasiado extenso para este mensaje. Consulte la versión íntegra con /crm estado ${p.reference}.`,
  'slack.table_truncated': 'La tabla se acortó por su extensión; la Secretaría Técnica conserva el registro completo.',
  'card.recorded': (p: { who: string; what: string; when: string }) => sentence(`Registrado por ${p.who} el ${p.when}: ${p.what}`),
  'card.position_may_change': 'Puede modificar la posición hasta la fecha límite con los botones de abajo.',
  'card.troika_may_change': 'Mientras dure la revisión de la Troika, puede modificar su decisión con los botones de abajo.',
  'card.closed.replaced': (p: { version: number; when: string }) =>
    `Esta versión del texto fue sustituida por la versión ${p.version} el ${p.when}: responda en el mensaje de la nueva versión.`,
  'card.closed.circulated': (p: { when: string }) =>
    `La Troika aprobó la circulación: el texto se envió a los Países Miembros el ${p.when}. La revisión de la Troika ha concluido.`,
  'card.closed.not_endorsed': (p: { when: string }) => `La Troika no avaló la circulación el ${p.when}: la consulta concluyó sin circularse a los Países Miembros.`,
  'card.closed.withdrawn': (p: { when: string }) => `La consulta fue retirada el ${p.when}: ya no se registran respuestas.`,
  'card.closed.closed': (p: { when: string; outcome: string }) => `La consulta se cerró el ${p.when}. Resultado: ${p.outcome}. Ya no se pueden registrar ni cambiar posiciones.`,
  'list.and_more': (p: { names: string; more: number }) => `${p.names} y ${p.more} más`,
  'result.more_objections': (p: { count: number }) =>
    p.count === 1
      ? 'Una objeción más: su motivo consta en el acta de la consulta, que conserva la Secretaría Técnica.'
      : `${p.count} objeciones más: sus motivos constan en el acta de la consulta, que conserva la Secretaría Técnica.`,
  'result.reasons_clipped': 'Los motivos extensos se abrevian aquí (…); el acta de la consulta, que conserva la Secretaría Técnica, los recoge completos.',
  'status.objections_only': (p: { members: number }) =>
    `Con ${p.members} Países Miembros, la tabla muestra solo las objeciones; los totales de arriba cubren todas las respuestas y el acta adjunta al resumen final tiene una fila por país.`,
  'result.list.support': (p: { countries: string }) => `Apoyan: ${p.countries}.`,
  'result.list.object': (p: { countries: string }) => `Objetan: ${p.countries}.`,
  'result.list.abstain': (p: { countries: string }) => `Se abstienen: ${p.countries}.`,
  'result.list.none': (p: { countries: string }) => `Sin respuesta: ${p.countries}.`,
  'card.no_more_actions': 'Esta solicitud ya no admite acciones.',
  'form.cancel': 'Cancelar',
  'form.proposal.hint': (p: { max: number }) => `Hasta ${p.max} caracteres.`,
  'form.reason.heading.changes': 'Solicitar cambios',
  'form.reason.heading.object': 'Objetar la circulación',
  'form.reason.heading.position_object': 'Objetar la propuesta',
  'form.reason.prompt.changes':
    'Indique los cambios que solicita al texto de la propuesta. Su solicitud quedará registrada y se comunicará a la Secretaría Técnica.',
  'form.reason.prompt.object':
    'Indique el motivo por el que objeta la circulación de la propuesta. El motivo quedará registrado.',
  'form.reason.prompt.position_object':
    'Indique el motivo de la objeción de su país. Quedará registrado en el resumen de la consulta.',
  'home.heading': 'Consultas especiales de la CRM',
  'home.awaiting_my_country': 'Pendientes de la posición de su país',
  'home.open': 'Consultas abiertas',
  'home.my_country_answers': 'Posiciones registradas por su país',
  'home.none': 'No hay consultas en esta sección.',
  'home.more': (p: { count: number }) => `… y ${p.count} más. Use /crm lista para verlas todas.`,
  'home.new_consultation': 'Nueva consulta',
  'home.view': 'Ver',

  // ---- /crm command catalogue (src/commands) and the Slack conversation (adapters/slack/listeners) ----
  'help.heading': 'Comandos de /crm',
  'help.consult': (p: { cmd: string }) => `${p.cmd}: abrir el formulario de una nueva consulta especial (puntos focales de la PPT y Secretaría Técnica).`,
  'help.status': (p: { cmd: string }) => `${p.cmd}: estado de una consulta (etapa, versión, Troika, respuestas y fecha límite); sin referencia, las consultas abiertas más recientes.`,
  'help.list': (p: { cmd: string }) => `${p.cmd}: consultas abiertas.`,
  'help.deadline': (p: { cmd: string }) => `${p.cmd}: cuándo cerraría una consulta circulada ahora, según el calendario de la Secretaría Técnica (5 días hábiles si no indica otro número).`,
  'help.revise': (p: { cmd: string }) => `${p.cmd}: presentar una nueva versión del texto a la Troika (PPT y Secretaría Técnica).`,
  'help.extend': (p: { cmd: string }) => `${p.cmd}: prorrogar la fecha límite, con justificación (PPT y Secretaría Técnica).`,
  'help.withdraw': (p: { cmd: string }) => `${p.cmd}: retirar una consulta (PPT y Secretaría Técnica).`,
  'help.help': (p: { cmd: string }) => `${p.cmd}: esta ayuda.`,
  'help.buttons': 'Las posiciones y las decisiones de la Troika se registran con los botones de los mensajes que envía el bot, o desde la pestaña Inicio de la aplicación.',
  'help.problem.unknown': (p: { word: string }) => `No se reconoce «${p.word}». Estos son los comandos disponibles:`,
  'help.problem.missing_reference': (p: { usage: string }) => `Falta la referencia de la consulta. Uso: ${p.usage}`,
  'help.problem.invalid_reference': (p: { given: string; usage: string }) =>
    `«${p.given}» no es una referencia de consulta (por ejemplo, CRM-2026-003). Uso: ${p.usage}`,
  'help.problem.invalid_days': (p: { given: string; min: number; max: number }) =>
    `«${p.given}» no es un número de días hábiles válido: indique un número entero entre ${p.min} y ${p.max}.`,
  'help.problem.extra_arguments': (p: { usage: string }) => `El comando tiene datos de más. Uso: ${p.usage}`,
  'status.latest_heading': 'Consultas abiertas más recientes',
  'status.detail_hint': (p: { cmd: string }) => `Para ver el detalle de una consulta: ${p.cmd}`,
  'status.more': (p: { count: number; cmd: string }) => `… y ${p.count} más. Véalas todas con ${p.cmd}.`,
  'status.troika_line': (p: { country: string; decision: string }) => `${p.country}: ${p.decision}`,
  'deadline.heading': 'Plazo de una consulta circulada ahora',
  'deadline.calendar_secretariat': (p: { place: string }) => `Calendario de días hábiles de la Secretaría Técnica (${p.place}).`,
  'deadline.skipped_heading': 'Feriados que no se cuentan:',
  'deadline.no_holidays': 'No hay feriados en ese periodo.',
  'slack.manage_only':
    'Solo los puntos focales de la Presidencia Pro Tempore y el personal de la Secretaría Técnica pueden iniciar, revisar, prorrogar o retirar una consulta.',
  'slack.unavailable': 'No se pudo registrar: el servicio tiene un problema técnico momentáneo y nada cambió. Inténtelo de nuevo en unos minutos.',
  'slack.invalid_button': 'Este botón no es válido. Use los botones del mensaje más reciente de la consulta o la pestaña Inicio de la aplicación.',
  'slack.decision_recorded': (p: { what: string; reference: string }) => sentence(`Registrado para ${p.reference}: ${p.what}`),
  'slack.consultation_started': (p: RefTitle) =>
    `Se creó la consulta ${p.reference} «${p.title}» y se envió a la Troika para su revisión. Cada respuesta de la Troika se verá en el estado de la consulta, en el canal de la Secretaría Técnica y en los mensajes a la Presidencia Pro Tempore.`,
  'slack.consultation_not_started': (p: { reason: string }) => `La consulta no se creó. ${p.reason}`,
  'slack.revised': (p: { reference: string; version: number }) => `Se envió a la Troika la versión ${p.version} del texto de la consulta ${p.reference}.`,
  'slack.extended': (p: { reference: string; deadline: string }) => `Se prorrogó el plazo de la consulta ${p.reference}. Nueva fecha límite: ${p.deadline}. Se avisó a todos los Países Miembros.`,
  'slack.withdrawn': (p: Ref) => `La consulta ${p.reference} fue retirada. Se informó a los Países Miembros y a la Secretaría Técnica.`,
  'slack.not_done': (p: { reason: string }) => `No se realizó la acción. ${p.reason}`,
  'slack.processing': 'Su solicitud se está procesando; recibirá la confirmación en un momento.',
  'slack.modal_title': 'Consulta especial',
  'slack.loading': 'Cargando la consulta…',
  'slack.close': 'Cerrar',
  'slack.who': (p: { name: string; country: string }) => `${p.name} (${p.country})`,
  'slack.what_with_reason': (p: { what: string; reason: string }) => `${p.what}; motivo: ${p.reason}`,
  'form.revise.heading': 'Revisar el texto',
  'form.revise.submit': 'Enviar a la Troika',
  'form.revise.intro': (p: { reference: string; version: number }) =>
    `Consulta ${p.reference}, versión ${p.version}. La nueva versión se enviará a la Troika y sus aprobaciones anteriores quedarán sin efecto.`,
  'form.revise.title_hint': 'Puede dejar el título como está.',
  'form.extend.heading': 'Prorrogar el plazo',
  'form.extend.submit': 'Prorrogar',
  'form.extend.intro': (p: { reference: string; deadline: string }) =>
    `Fecha límite actual de la consulta ${p.reference}: ${p.deadline}. Indique un número de días hábiles contados desde la circulación, o una fecha límite expresa.`,
  'form.extend.days_label': 'Días hábiles desde la circulación',
  'form.extend.justification_hint': 'Obligatoria. Se comunicará a todos los Países Miembros.',
  'form.extend.choose': 'Indique un número de días hábiles o una fecha límite.',
  'form.extend.both': 'Indique los días hábiles o la fecha límite, no ambos.',
  'form.withdraw.heading': 'Retirar la consulta',
  'form.withdraw.submit': 'Retirar',
  'form.withdraw.confirm': (p: RefTitle) =>
    `¿Retirar la consulta ${p.reference} «${p.title}»? Se informará del retiro a todos los Países Miembros y a la Secretaría Técnica. Esta acción no se puede deshacer.`,
  'form.withdraw.reason_label': 'Motivo (opcional)',
  'home.detail.member': (p: { deadline: string; answers: string }) => `Fecha límite: ${p.deadline} · Respuestas: ${p.answers}`,
  'home.detail.troika': (p: { reacted: number; total: number }) => `En revisión de la Troika · ${p.reacted}/${p.total} decisiones`,
  'home.detail.answer': (p: { what: string; who: string; when: string }) => sentence(`Registrada por ${p.who} el ${p.when}: ${p.what}`),
  'home.no_access':
    'Las consultas especiales se dirigen a los Países Miembros y a la Secretaría Técnica. Su cuenta no tiene consultas que mostrar.',
  'home.updated': (p: { when: string }) => `Actualizado: ${p.when}`,

  // domain helper: bilingual texts, visibility and the resend of a text the Troika did not endorse (issue 8)
  'form.translation.language.es': 'español',
  'form.translation.language.en': 'inglés',
  'form.title_translation.label': (p: { language: string }) => `Título en ${p.language} (opcional)`,
  'form.proposal_translation.label': (p: { language: string }) => `Texto de la propuesta en ${p.language} (opcional)`,
  'form.proposal_translation.hint': (p: { language: string }) =>
    `Quienes leen en ${p.language} recibirán este texto; si no lo indica, recibirán el original y se les dirá que solo existe el original.`,
  'form.translation.needs_both': (p: { language: string }) => `Indique el título y el texto en ${p.language}, o ninguno de los dos.`,
  'form.visibility.label': 'Respuestas de los demás países',
  'form.visibility.at_close': 'Los Países Miembros las ven al cierre',
  'form.visibility.live': 'Los Países Miembros las ven a medida que llegan',
  'form.visibility.hint':
    'Cada país ve siempre su propia respuesta; la Secretaría Técnica y la Presidencia Pro Tempore ven cada respuesta a medida que llega.',
  'form.resend.heading': 'Reenviar a la Troika',
  'form.resend.intro': (p: { reference: string; country: string; reason: string }) =>
    `La Troika no avaló la consulta ${p.reference}. País que objetó: ${p.country}. Motivo: ${quotedSentence(p.reason, 'es')} El texto revisado se enviará a la Troika como una consulta nueva que sustituye a la consulta ${p.reference}, con las mismas reglas. Los Países Miembros no recibieron la consulta ${p.reference}.`,
  'resend.already_resent': (p: { reference: string; by: string }) =>
    `La consulta ${p.reference} ya se reenvió a la Troika como la consulta ${p.by}; para cambiar el texto, revise la consulta ${p.by}.`,
  'slack.resent': (p: { reference: string; previous: string }) =>
    `La consulta ${p.reference} se envió a la Troika; sustituye a la consulta ${p.previous}, que la Troika no avaló.`,

  // ---- The audit record (src/record): crm consultations show / export, the PDF attached to the digest ----
  'record.title': (p: { reference: string }) => `Registro de la consulta ${p.reference}`,
  'record.section.summary': 'Consulta',
  'record.section.versions': 'Versiones del texto',
  'record.section.troika': 'Reacciones de la Troika',
  'record.section.members': 'Posiciones de los Países Miembros',
  'record.section.timeline': 'Cronología',
  'record.section.refusals': 'Intentos rechazados',
  'record.row.member': 'País Miembro',
  'record.row.refusal': 'Intento rechazado',
  'record.label.version': 'Versión',
  'record.label.section': 'Sección',
  'record.label.number': 'N.º',
  'record.label.when': 'Fecha y hora',
  'record.label.what': 'Qué',
  'record.label.detail': 'Detalle',
  'record.label.who': 'Quién',
  'record.label.role': 'Función',
  'record.label.on_behalf_of': 'En nombre de',
  'record.label.platform': 'Plataforma',
  'record.label.text': 'Texto',
  'record.label.hash': 'Hash (SHA-256)',
  'record.label.decision': 'Decisión',
  'record.label.seat': 'Lugar en la Troika',
  'record.label.answer': 'Respuesta dada',
  'record.label.earlier': 'Posiciones anteriores',
  'record.label.generated': 'Registro generado',
  'record.label.time_zone': 'Zona horaria',
  'record.label.close_reason': 'Motivo del cierre',
  'record.label.supersedes': 'Reenvía la consulta',
  'record.label.from_stage': 'Etapa al retirarse',
  'record.label.previous_deadline': 'Fecha límite anterior',
  'record.version': (p: { number: number }) => `Versión ${p.number}`,
  'record.original': (p: { language: string }) => `Original (${p.language})`,
  'record.original_plain': 'Original',
  'record.translation': (p: { language: string }) => `Traducción (${p.language})`,
  'record.language.es': 'español',
  'record.language.en': 'inglés',
  'record.times': (p: { zone: string }) =>
    `Fechas y horas en formato ISO 8601 con la diferencia respecto de UTC de la sede de la Secretaría Técnica (${p.zone}).`,
  'record.troika_incomplete': 'Troika de dos países: la presidencia entrante no estaba designada.',
  'record.no_refusals': 'Ningún intento rechazado.',
  'record.no_troika': 'El texto no llegó a enviarse a la Troika.',
  'record.page': (p: { page: number; total: number }) => `Página ${p.page} de ${p.total}`,
  'record.role.staff': 'Personal de la Secretaría Técnica',
  'record.role.focal_point': 'Punto focal',
  'record.role.system': 'Sistema',
  'record.role.unknown': 'Sin función registrada',
  'record.seat.previous': 'Presidencia anterior',
  'record.seat.current': 'Presidencia Pro Tempore',
  'record.seat.next': 'Presidencia entrante',
  // ---- Pictures (src/pictures): the status matrix and the timeline ----
  'picture.status.title': (p: { reference: string }) => `Estado de la consulta ${p.reference}`,
  'picture.status.desc': (p: { reference: string; stage: string; answered: number; total: number }) =>
    `Consulta ${p.reference}: ${p.stage}. Respondieron ${p.answered} de ${p.total} Países Miembros.`,
  'picture.timeline.title': (p: { reference: string }) => `Cronología de la consulta ${p.reference}`,
  'picture.timeline.desc': (p: { reference: string; count: number }) => `Cronología de la consulta ${p.reference}: ${p.count} hitos, del más antiguo al más reciente.`,
  'picture.column.country': 'País Miembro',
  'picture.column.troika': 'Troika',
  'picture.column.position': 'Posición',
  'picture.troika.author': 'Presenta el texto',
  'picture.troika.waiting': 'Esperando su reacción',
  'picture.hidden': 'Se muestra al cierre',
  'picture.answered': (p: { answered: number; total: number }) => `Respondieron ${p.answered} de ${p.total} Países Miembros`,
  'picture.times_in': (p: { zone: string }) => `Horas en ${p.zone}`,
  'picture.deadline': (p: { when: string }) => `Fecha límite: ${p.when}`,
  'picture.legend': 'Leyenda',
  'picture.event.created': 'Consulta creada',
  'picture.event.sent_to_troika': 'Enviada a la Troika',
  'picture.event.revised': (p: { version: number }) => `Texto revisado (versión ${p.version})`,
  'picture.event.troika': (p: { country: string; decision: string }) => `Troika, ${p.country}: ${p.decision}`,
  'picture.event.circulated': 'Circulada a los Países Miembros',
  'picture.event.position': (p: { country: string; position: string }) => `${p.country}: ${p.position}`,
  'picture.event.reminder': (p: { count: number }) => (p.count === 1 ? 'Recordatorio enviado' : `Recordatorio enviado a ${p.count} puntos focales`),
  'picture.event.extended': (p: { to: string }) => `Plazo prorrogado hasta ${p.to}`,
  'picture.event.deadline': 'Fecha límite',
  'picture.event.closed': (p: { outcome: string }) => `Cerrada: ${p.outcome}`,
  'picture.event.withdrawn': 'Retirada',
  'picture.event.not_endorsed': 'No avalada por la Troika',
  'picture.now': 'Ahora',
  'picture.attached.heading': (p: { reference: string }) => `Estado y cronología de la consulta ${p.reference}, en imagen`,
  'picture.attached.body': 'La matriz de los Países Miembros (la posición de cada uno y la etapa de la Troika) y la cronología de la consulta. El resumen y el registro dicen lo mismo en texto.',
  'picture.file_title': (p: { reference: string }) => `Estado de la consulta ${p.reference}`,
  'record.implicit': 'aprobación implícita del país que presenta el texto',
  'record.platform.slack': 'Slack',
  'record.platform.teams': 'Teams',
  'record.platform.cli': 'Línea de comandos',
  'record.platform.console': 'Consola',
  'record.platform.system': 'Sistema',
  'record.platform.unknown': 'Desconocida',
  'record.event.consultation_started': 'Consulta iniciada',
  'record.event.text_revised': 'Texto revisado',
  'record.event.sent_to_troika': 'Enviada a la Troika',
  'record.event.troika_reacted': 'Reacción de la Troika',
  'record.event.consultation_not_endorsed': 'No avalada por la Troika',
  'record.event.member_consultation_opened': 'Circulada a los Países Miembros',
  'record.event.position_recorded': 'Posición registrada',
  'record.event.deadline_extended': 'Plazo prorrogado',
  'record.event.consultation_withdrawn': 'Consulta retirada',
  'record.event.consultation_closed': 'Consulta cerrada',
  'record.close_reason.deadline': 'Venció el plazo',
  'record.close_reason.all_answered': 'Todos los Países Miembros respondieron',
  'record.attempt.start': 'Iniciar una consulta',
  'record.attempt.sendToTroika': 'Enviar el texto a la Troika',
  'record.attempt.reactTroika': 'Reaccionar como miembro de la Troika',
  'record.attempt.revise': 'Revisar el texto',
  'record.attempt.recordPosition': 'Registrar una posición',
  'record.attempt.extend': 'Prorrogar el plazo',
  'record.attempt.withdraw': 'Retirar la consulta',
  'record.attempt.close': 'Cerrar la consulta',
  'record.attempt.unknown': 'Otra acción',
  'record.attached.heading': (p: { reference: string }) => `Registro de la consulta ${p.reference}`,
  'record.attached.body': (p: { reference: string }) =>
    `Se adjunta el registro completo de la consulta ${p.reference} en PDF, en español e inglés: cada versión del texto con su hash, las reacciones de la Troika, la posición de cada País Miembro, la cronología y los intentos rechazados.`,
  'record.attached.cli': (p: { command: string }) => `La Secretaría Técnica también puede obtenerlo con ${p.command}.`,
  // Teams cannot share a file in a channel without Graph: the record's card says so, and where to get it.
  'record.not_attached.body': (p: { reference: string }) =>
    `El registro completo de la consulta ${p.reference} (un PDF en español e inglés: cada versión del texto con su hash, las reacciones de la Troika, la posición de cada País Miembro, la cronología y los intentos rechazados) no puede adjuntarse en Teams.`,
  'record.not_attached.cli': (p: { command: string }) => `La Secretaría Técnica puede obtenerlo con ${p.command}.`,
  // email helper: e-mails to focal points and the answer page behind their links (issue 10)
  'email.answer_intro': (p: { expires: string }) =>
    `Responda en la página del enlace. El enlace es personal: registra respuestas en su nombre, por lo que le rogamos no reenviarlo. Funciona hasta el ${p.expires} y deja de funcionar cuando concluye la consulta.`,
  'email.answer_link': 'Abrir la página de respuesta',
  'email.recorded_subject': (p: { reference: string; what: string }) => `Consulta ${p.reference}: respuesta registrada (${p.what})`,
  'email.revise_hint.troika': (p: { reference: string }) =>
    `Para presentar a la Troika una versión revisada de ${p.reference}, envíela a la Secretaría Técnica, que la registra por la Presidencia Pro Tempore (o use /crm revisar ${p.reference} en Slack o Microsoft Teams). Las aprobaciones anteriores quedarán sin efecto.`,
  'email.revise_hint.resend': (p: { reference: string }) =>
    `Para revisar el texto y presentarlo de nuevo a la Troika, envíe la versión revisada a la Secretaría Técnica (o use /crm revisar ${p.reference} en Slack o Microsoft Teams): se iniciará una nueva consulta vinculada a esta.`,
  'email.footer':
    'Enviado por el asistente de consultas de la CRM en nombre de la Secretaría Técnica. No responda a este correo; para cualquier consulta, escriba a la Secretaría Técnica.',
  'answer.page_title': (p: { reference: string }) => `Consulta ${p.reference}`,
  'answer.legend': 'Su respuesta',
  'answer.reason_hint.troika': 'Obligatorio para solicitar cambios o para objetar; quedará registrado.',
  'answer.reason_hint.member': 'Obligatorio para objetar; quedará registrado en el resumen de la consulta.',
  'answer.personal': 'Esta página es personal: registra respuestas en su nombre.',
  'answer.recorded_heading': 'Respuesta registrada',
  'answer.not_recorded_heading': 'Respuesta no registrada',
  'answer.already_sent': 'Esta respuesta ya se había enviado con este enlace; no se hizo ningún cambio.',
  'answer.back': 'Volver a la consulta',
  'answer.invalid_heading': 'Enlace no válido',
  'answer.invalid':
    'Este enlace no es válido; puede que se haya copiado incompleto. Abra el enlace del correo más reciente sobre la consulta o escriba a la Secretaría Técnica.',
  'answer.expired_heading': 'Enlace vencido',
  'answer.expired': 'Este enlace venció. Abra el enlace del correo más reciente sobre la consulta o escriba a la Secretaría Técnica.',
  'answer.ended_heading': 'Consulta concluida',
  'answer.troika_over': (p: { reference: string }) =>
    `La revisión de la Troika de la consulta ${p.reference} concluyó; este enlace ya no registra decisiones.`,
  'answer.latest_email': 'Use el enlace del correo más reciente sobre la consulta.',
  'answer.choice_invalid': 'Elija una de las respuestas ofrecidas.',
  // meetings helper
  'meeting.kind.vice_ministerial': 'Reunión Viceministerial',
  'meeting.kind.grcm': 'Reunión del Grupo Regional de Consulta sobre Migración',
  'meeting.kind.network_trafficking': 'Reunión de la Red de Funcionarios de Enlace para el combate a la Trata de Personas y al Tráfico Ilícito de Migrantes',
  'meeting.kind.network_consular': 'Reunión de la Red de Funcionarios de Enlace de Protección Consular',
  'meeting.kind.networks_joint': 'Reunión conjunta de las Redes de Funcionarios de Enlace',
  'meeting.kind.ad_hoc': 'Reunión de grupo ad hoc',
  'meeting.kind.workshop': 'Taller o seminario',
  'meeting.segment.plenary': 'Reunión plenaria',
  'meeting.segment.closed_door': 'Reunión a puerta cerrada',
  'meeting.segment.deliberation': 'Deliberación de la red',
  'meeting.segment.hearing': 'Audiencia de la sociedad civil',
  'meeting.segment.main': 'Sesión de trabajo',
  'meeting.default_title': (p: { kind: string; year: string }) => `${p.kind} ${p.year}`,
  'meeting.location': (p: { city: string; country: string }) => `${p.city}, ${p.country}`,
  'meeting.ics_description': (p: { kind: string; segments: string; reference: string }) =>
    `${p.kind}. Segmentos: ${p.segments}. Referencia: ${p.reference}.`,
  'meeting.warning.vice_ministerial_not_in_november': (p: { start: string; end: string }) =>
    `La Reunión Viceministerial se celebra cada año en noviembre; esta va del ${p.start} al ${p.end}.`,
  'meeting.warning.vice_ministerial_not_in_ppt_country': (p: { country: string; ppt: string }) =>
    `La Reunión Viceministerial se celebra en el país que ejerce la Presidencia Pro Tempore: ${p.ppt}. Esta se celebraría en ${p.country}.`,
  'meeting.warning.network_not_before_grcm': (p: { end: string }) =>
    `Las Redes de Funcionarios de Enlace se reúnen inmediatamente antes de una reunión del Grupo Regional de Consulta sobre Migración, y ninguna comienza el ${p.end} ni el día siguiente.`,
  'meeting.refusal.meeting_not_found': 'No se encontró la reunión indicada. Verifique la referencia.',
  'meeting.refusal.segment_not_in_meeting': (p: { segments: string }) => `Esta reunión no tiene ese segmento. Sus segmentos son: ${p.segments}.`,
  'meeting.refusal.not_in_directory': 'Esa dirección de correo no figura en el directorio de la CRM; la Secretaría Técnica debe registrar primero a la persona.',
  'meeting.refusal.already_invited': 'Esta persona ya está invitada a ese segmento.',
  'meeting.refusal.closed_door_role_required':
    'En la reunión a puerta cerrada participan únicamente los Viceministros y, con cada uno, hasta dos funcionarios de alto nivel; esta persona no figura en el directorio con ninguna de esas funciones.',
  'meeting.refusal.closed_door_vice_minister_present': (p: { country: string; name: string }) =>
    `La delegación de ${p.country} en la reunión a puerta cerrada ya tiene Viceministro o Viceministra: ${p.name}.`,
  'meeting.refusal.closed_door_delegation_full': (p: { country: string; max: number }) =>
    `La delegación de ${p.country} en la reunión a puerta cerrada ya tiene ${p.max} funcionarios de alto nivel, el máximo que acompaña a cada Viceministro.`,
  'meeting.refusal.closed_door_members_only':
    'La reunión a puerta cerrada es exclusiva de los Viceministros de los Países Miembros y de hasta dos funcionarios de alto nivel por país. No participan observadores, organismos, sociedad civil ni invitados especiales, y el Coordinador o la Coordinadora de la Secretaría Técnica solo como asesor cuando la Presidencia Pro Tempore lo solicita.',
  'meeting.refusal.coordinator_not_requested':
    'El Coordinador o la Coordinadora de la Secretaría Técnica participa en la reunión a puerta cerrada solo como asesor, cuando la Presidencia Pro Tempore lo solicita. Indique que se trata de esa solicitud.',
  'meeting.refusal.grcm_role_required':
    'En el Grupo Regional de Consulta sobre Migración participan los Directores de Migración, los Jefes de Asuntos Consulares y los Funcionarios de Enlace de las Redes; esta persona no figura en el directorio con ninguna de esas funciones.',
  'meeting.refusal.network_liaison_only':
    'Las deliberaciones de la red son confidenciales: participan únicamente los Funcionarios de Enlace de esa red designados por los Países Miembros.',
  'meeting.refusal.hearing_civil_society_only':
    'La audiencia de la red es el espacio de la sociedad civil, representada por la RROCM, ante los Funcionarios de Enlace de la red; esta persona no es ninguno de ellos.',
  'meeting.refusal.not_in_ad_hoc_group': (p: { members: string }) => `Esta persona no pertenece a ningún miembro del grupo ad hoc. Miembros: ${p.members}.`,
  'meeting.refusal.invitee_other_event': (p: { reference: string }) =>
    `Los invitados especiales lo son para un evento a la vez, y esta organización ya está invitada a la reunión ${p.reference}, que aún no concluye.`,
  'meeting.refusal.other_country': (p: { country: string }) => `Esta persona no pertenece a la delegación de ${p.country}.`,
  'duty.name.st_operational_financial_report': 'Informe operativo y financiero de la Secretaría Técnica',
  'duty.name.st_budget_report': 'Informe presupuestario y financiero de la Secretaría Técnica',
  'duty.name.observer_reports': 'Informe de observador o invitado',
  'duty.name.draft_declaration_action_plan': 'Propuestas de Declaración y de Plan de Acción',
  'duty.name.plenary_agenda': 'Agenda de la reunión plenaria',
  'duty.name.meeting_summary': 'Resumen de los resultados de la reunión',
  'duty.name.coordinator_evaluation': 'Informe para la evaluación del Coordinador o la Coordinadora de la Secretaría Técnica',
  'duty.name.coordinator_vacancy_notice': 'Aviso de la vacante de Coordinador o Coordinadora de la Secretaría Técnica',
  'duty.state.open': 'Pendiente',
  'duty.state.done': 'Cumplido',
  'duty.state.late': 'Atrasado',
  'duty.owner.ST': 'Secretaría Técnica',
  'duty.owner.PPT': (p: { country: string }) => `Presidencia Pro Tempore: ${p.country}`,
  'duty.label.duty': 'Tarea',
  'duty.label.meeting': 'Reunión',
  'duty.label.owner': 'Responsable',
  'duty.label.due': 'Fecha límite',
  'duty.label.state': 'Estado',
  'duty.reminder.heading': (p: { duty: string }) => `Tarea pendiente: ${p.duty}`,
  'duty.reminder.body': (p: { duty: string; due: string }) => `Le recordamos que la tarea «${p.duty}» vence el ${p.due}.`,
  'duty.reminder.body_meeting': (p: { duty: string; due: string; meeting: string }) =>
    `Le recordamos que la tarea «${p.duty}», para la reunión «${p.meeting}», vence el ${p.due}.`,
  'duty.reminder.late_heading': (p: { duty: string }) => `Tarea atrasada: ${p.duty}`,
  'duty.reminder.late_body': (p: { duty: string; due: string }) =>
    `La tarea «${p.duty}» venció el ${p.due} y no consta como cumplida. Si ya se cumplió, informe a la Secretaría Técnica para que la registre.`,
  'duty.reminder.agenda_items': 'La agenda debe incluir al menos el informe de la Presidencia Pro Tempore, las declaraciones de apertura de las delegaciones de los Países Miembros y el diálogo con la sociedad civil.',
  'duty.late.heading': (p: { week: string }) => `Tareas atrasadas, semana ${p.week}`,
  'duty.late.intro': (p: { count: number }) => (p.count === 1 ? 'Hay 1 tarea atrasada.' : `Hay ${p.count} tareas atrasadas.`),
  'duty.refusal.unknown_duty': 'No existe esa tarea. Consulte la lista de tareas para ver su nombre y su responsable.',
  'duty.refusal.already_done': 'Esa tarea ya consta como cumplida.',
  'duty.refusal.agenda_incomplete': (p: { missing: string }) => `La agenda de la reunión plenaria aún no incluye: ${p.missing}.`,
  'meeting.agenda.ppt_report': 'el informe de la Presidencia Pro Tempore',
  'meeting.agenda.opening_statements': 'las declaraciones de apertura de las delegaciones de los Países Miembros',
  'meeting.agenda.civil_society_dialogue': 'el diálogo con la sociedad civil, representada por la RROCM',
  // ---- Meetings: invitations, answers, chat lists (issue 11) ----
  'meeting.invitation.heading': (p: { title: string }) => `Invitación: ${p.title}`,
  'meeting.invitation.body': (p: { kind: string; body: string }) => `${p.body}: invitación a participar en esta reunión (${p.kind}).`,
  'meeting.invitation.ask': 'Le rogamos confirmar si asistirá con uno de los botones. El archivo de calendario le llega en un mensaje aparte.',
  'meeting.invitation.hours': (p: { from: string; to: string; zone: string }) => `de ${p.from} a ${p.to} (${p.zone})`,
  'meeting.invitation.attend': 'Asistiré',
  'meeting.invitation.decline': 'No podré asistir',
  'meeting.label.segment': 'Sesión',
  'meeting.label.dates': 'Fechas',
  'meeting.label.hours': 'Horario',
  'meeting.label.place': 'Lugar',
  'meeting.calendar.heading': (p: { title: string }) => `Calendario: ${p.title}`,
  'meeting.calendar.body': (p: { zone: string }) => `Abra el archivo adjunto para añadir la reunión a su calendario. Las horas son las del lugar de la reunión (${p.zone}).`,
  'meeting.calendar.title': (p: { reference: string }) => `Reunión ${p.reference} (calendario)`,
  'meeting.response.attend': (p: { title: string; segment: string }) => `Gracias. Queda registrado que asistirá a «${p.title}» (${p.segment}).`,
  'meeting.response.decline': (p: { title: string; segment: string }) =>
    `Queda registrado que no asistirá a «${p.title}» (${p.segment}). Si cambia de opinión, use el botón «Asistiré» de la invitación.`,
  'meeting.response.recorded_attend': 'Respuesta registrada: asistirá.',
  'meeting.response.recorded_decline': 'Respuesta registrada: no asistirá.',
  'meeting.response.not_invited': 'Esta invitación no está dirigida a usted: solo la persona invitada puede responderla.',
  'meeting.response.meeting_over': (p: { end: string }) => `La reunión terminó el ${p.end}; ya no es posible responder a la invitación.`,
  'meeting.response.already_attend': 'Ya constaba que asistirá; no se ha cambiado nada.',
  'meeting.response.already_decline': 'Ya constaba que no asistirá; no se ha cambiado nada.',
  'meeting.response.invalid_button': 'Este botón no es válido. Use los botones de la invitación más reciente.',
  'meeting.list.heading': 'Próximas reuniones',
  'meeting.list.none': 'No hay reuniones próximas registradas.',
  'meeting.list.item': (p: { title: string; reference: string; dates: string; place: string }) => `${p.title} (${p.reference}): ${p.dates}, ${p.place}.`,
  'meeting.list.my_invitation': (p: { segment: string; answer: string }) => `Tiene una invitación: ${p.segment} (${p.answer}).`,
  'meeting.answer.none': 'sin responder',
  'meeting.answer.attend': 'asistirá',
  'meeting.answer.decline': 'no asistirá',
  'duty.list.heading': 'Tareas pendientes',
  'duty.list.none': 'No hay tareas pendientes.',
  'duty.list.intro': (p: { open: number; late: number }) =>
    `${p.open === 1 ? 'Hay 1 tarea pendiente' : `Hay ${p.open} tareas pendientes`}${p.late > 0 ? `, de ellas ${p.late} atrasada${p.late === 1 ? '' : 's'}` : ''}.`,
  'help.meeting': (p: { cmd: string }) => `${p.cmd}: registrar una reunión (puntos focales de la PPT y Secretaría Técnica).`,
  'help.meetings': (p: { cmd: string }) => `${p.cmd}: próximas reuniones y sus invitaciones.`,
  'help.duties': (p: { cmd: string }) => `${p.cmd}: tareas pendientes de las reuniones y quién debe cumplirlas.`,
  'help.observers': (p: { cmd: string }) => `${p.cmd}: las solicitudes de la condición de observador y lo que espera cada una.`,
  'help.observer': (p: { cmd: string }) =>
    `${p.cmd}: registrar un paso de una solicitud de observador (Presidencia Pro Tempore y Secretaría Técnica): «OBS-… presentar MTG-…», «OBS-… decidir MTG-… admitida|rechazada», «OBS-… retirar»; una solicitud recibida: «solicitud ISO2|CÓDIGO NOMBRE».`,
  'help.problem.observer_usage': (p: { cmd: string }) =>
    `Uso: ${p.cmd} OBS-… presentar MTG-… | ${p.cmd} OBS-… decidir MTG-… admitida|rechazada | ${p.cmd} OBS-… retirar | ${p.cmd} solicitud ISO2|CÓDIGO NOMBRE`,
  'observer.list.heading': 'Solicitudes de la condición de observador',
  'observer.list.none': 'No hay solicitudes registradas.',
  'observer.label.case': 'Solicitud',
  'observer.label.applicant': 'Solicitante',
  'observer.label.stage': 'Estado',
  'observer.label.next': 'Siguiente paso',
  'observer.stage.received': 'recibida',
  'observer.stage.presented': 'presentada en el GRCM',
  'observer.stage.admitted': 'admitida',
  'observer.stage.rejected': 'no admitida',
  'observer.stage.withdrawn': 'retirada por el solicitante',
  'observer.next_step.present_at_grcm': 'presentarla en el próximo GRCM',
  'observer.next_step.decide_at_vice_ministerial': 'decisión de los Viceministros en la próxima Reunión Viceministerial',
  'observer.next_step.at': (p: { step: string; meeting: string; due: string }) => `${p.step}: ${p.meeting} (a más tardar el ${p.due})`,
  'observer.next_step.late': (p: { step: string }) => `${p.step} (con retraso)`,
  'observer.next_step.none': '—',
  'observer.no_access': 'Las solicitudes de observador las consultan la Secretaría Técnica y los puntos focales de los Países Miembros.',
  'observer.manage_only': 'Solo los puntos focales de la Presidencia Pro Tempore y el personal de la Secretaría Técnica registran los pasos de una solicitud de observador.',
  'observer.recorded': (p: { id: string; step: string }) => `Registrado en la solicitud ${p.id}. ${p.step}`,
  'observer.refusal.already_member': 'El solicitante ya es País Miembro (no se admiten nuevos Países Miembros, §8).',
  'observer.refusal.already_observer': 'El solicitante ya es observador.',
  'observer.refusal.not_a_grcm': 'Una solicitud se presenta en una reunión del GRCM.',
  'observer.refusal.not_a_vice_ministerial': 'Una solicitud la deciden los Viceministros en una Reunión Viceministerial.',
  'observer.refusal.meeting_before_application': 'Esa reunión terminó antes del paso anterior de la solicitud.',
  'observer.refusal.not_presented': 'La solicitud todavía no se ha presentado en un GRCM.',
  'observer.refusal.already_presented': 'La solicitud ya se presentó.',
  'observer.refusal.case_closed': 'La solicitud está cerrada (admitida, no admitida o retirada).',
  'observer.refusal.application_not_found': 'No hay ninguna solicitud con esa referencia.',
  'observer.refusal.meeting_not_found': 'No hay ninguna reunión con esa referencia.',
  'observer.refusal.application_open': (p: { id: string }) => `Ese solicitante ya tiene una solicitud en curso: ${p.id}.`,
  'meeting.delegation.button': (p: { reference: string }) => `Delegación ${p.reference}`,
  'meeting.form.heading': 'Nueva reunión',
  'meeting.form.submit': 'Registrar',
  'meeting.form.kind': 'Tipo de reunión',
  'meeting.form.start': 'Primer día',
  'meeting.form.end': 'Último día',
  'meeting.form.city': 'Ciudad',
  'meeting.form.country': 'País anfitrión',
  'meeting.form.country_hint': 'Código de dos letras (por ejemplo, PA). Si lo deja vacío, el país de la PPT.',
  'meeting.form.title_hint': 'Si lo deja vacío, el tipo de reunión y el año.',
  'meeting.form.kind_required': 'Elija el tipo de reunión.',
  'meeting.form.date_required': 'Elija una fecha.',
  'meeting.form.received': 'Recibido; no había nada nuevo que registrar.',
  'meeting.form.city_too_long': (p: { max: number }) => `El nombre de la ciudad excede el máximo de ${p.max} caracteres.`,
  'meeting.form.recorded': (p: { reference: string; title: string }) => `Reunión registrada: ${p.title} (${p.reference}).`,
  'meeting.form.not_recorded': (p: { reason: string }) => `La reunión no se registró: ${p.reason}`,
  'meeting.form.refusal.invalid_date': 'Esa fecha no existe en el calendario.',
  'meeting.form.refusal.end_before_start': 'El último día es anterior al primero.',
  'meeting.form.refusal.too_long': (p: { max: string }) => `Una reunión dura como máximo ${p.max} días.`,
  'meeting.form.refusal.no_ppt_on_start': 'Ningún país ejerce la PPT en esa fecha; indique el país anfitrión.',
  'meeting.form.refusal.country_not_in_directory': 'Ese país no está en el directorio de la CRM.',
  'meeting.form.refusal.other': 'Revise los datos del formulario.',
  'meeting.delegation.heading': 'Delegación',
  'meeting.delegation.submit': 'Registrar',
  'meeting.delegation.intro': (p: { title: string; country: string }) =>
    `Elija quién integra la delegación de ${p.country} en «${p.title}». Cada persona recibirá su invitación.`,
  'meeting.delegation.already': (p: { segment: string; names: string }) => `${p.segment}: ya invitadas: ${p.names}.`,
  'meeting.delegation.closed_door_hint': 'Solo la persona titular del Viceministerio y hasta dos altos cargos.',
  'meeting.delegation.recorded': (p: { count: number; title: string }) =>
    p.count === 1 ? `Delegación registrada: 1 persona invitada a «${p.title}».` : `Delegación registrada: ${p.count} personas invitadas a «${p.title}».`,
  'meeting.delegation.empty': 'No eligió a nadie; no se ha registrado nada.',
  'meeting.delegation.focal_points_only': 'Solo los puntos focales de un País Miembro registran la delegación de su país.',
  'meeting.delegation.refused_person': (p: { name: string; reason: string }) => `${p.name}: ${p.reason}`,
  'meeting.role.vice_minister': 'titular del Viceministerio',
  'meeting.role.senior_official': 'alto cargo',
  'meeting.role.grcm_delegate': 'delegación GRCM',
  'meeting.role.liaison_trafficking': 'enlace trata',
  'meeting.role.liaison_consular': 'enlace consular',
  'meeting.role.st_coordinator': 'coordinación ST',
  'meeting.manage_only': 'Solo los puntos focales de la Presidencia Pro Tempore y el personal de la Secretaría Técnica pueden registrar una reunión.',
  'duty.no_access': 'Las tareas de las reuniones las consultan la Secretaría Técnica y los puntos focales de los Países Miembros.',
  'meeting.summary.title': (p: { title: string; reference: string }) => `Resumen de resultados: ${p.title} (${p.reference})`,
  'observer.heading': (p: { id: string; name: string }) => `Solicitud de observador ${p.id}: ${p.name}`,
  'observer.step.received': (p: { name: string; on: string }) =>
    `La Presidencia Pro Tempore recibió, por medio de la Secretaría Técnica, la solicitud formal de ${p.name} para participar como observador (${p.on}).`,
  'observer.step.presented': (p: { name: string; meeting: string }) => `La PPT presentó la solicitud de ${p.name} en la reunión del GRCM ${p.meeting}.`,
  'observer.step.admitted': (p: { name: string; meeting: string }) =>
    `Los Viceministros admitieron a ${p.name} como observador en la sesión a puerta cerrada de la reunión ${p.meeting}.`,
  'observer.step.rejected': (p: { name: string; meeting: string }) =>
    `Los Viceministros no admitieron la solicitud de ${p.name} en la sesión a puerta cerrada de la reunión ${p.meeting}.`,
  'observer.step.withdrawn': (p: { name: string }) => `La solicitud de ${p.name} fue retirada.`,
  'observer.next.present': 'Siguiente paso: la PPT la presenta en la próxima reunión del GRCM.',
  'observer.next.decide': 'Siguiente paso: la deciden los Viceministros en la sesión a puerta cerrada de la próxima Reunión Viceministerial.',
  'observer.next.directory': 'La Secretaría Técnica debe añadirlo al directorio como observador.',
  'meeting.invitation.ask_email':
    'Le rogamos confirmar si asistirá en la página del enlace de este correo. Se adjunta el archivo de calendario de la reunión; las horas son las del lugar de la reunión.',
  'meeting.answer.page_title': (p: { reference: string }) => `Invitación ${p.reference}`,
  'meeting.answer.expired': 'Este enlace venció. Para responder a la invitación, escriba a la Secretaría Técnica.',
  'meeting.answer.over_heading': 'Reunión terminada',
  'meeting.answer.back': 'Volver a la invitación',
  'email.meeting_answer_intro': (p: { expires: string }) =>
    `Responda en la página del enlace. El enlace es personal: registra su respuesta en su nombre, por lo que le rogamos no reenviarlo. Funciona hasta el ${p.expires} y deja de funcionar cuando termina la reunión.`,
  // messages helper: issue 8 parts 2 and 6 (who hears what, results that say why, deadlines, languages)
  'text.only_original': (p: { language: string }) => `Este texto solo está disponible en ${p.language}, su idioma original.`,
  'text.translated': (p: { language: string }) => `Texto traducido al español; el original está en ${p.language}.`,
  'reason.line': (p: { reason: string }) => `Motivo: ${p.reason}`,
  'justification.line': (p: { justification: string }) => `Justificación del plazo: ${p.justification}`,
  'troika_feedback.heading': (p: Ref) => `Consulta ${p.reference}: la Troika solicita cambios`,
  'troika_feedback.changes': (p: RefTitle & { who: string; country: string; version: number }) =>
    `${p.who}, por ${p.country}, solicita cambios a la versión ${p.version} de la propuesta «${p.title}» (${p.reference}).`,
  'troika_feedback.revise_hint': (p: { cmd: string }) =>
    `Para presentar a la Troika una versión revisada, use ${p.cmd}. Las aprobaciones anteriores quedarán sin efecto.`,
  'result.not_endorsed_by': (p: RefTitle & { country: string }) =>
    `La Troika no avaló la circulación de la propuesta «${p.title}» (${p.reference}): ${p.country} la objetó. La consulta concluye sin haberse circulado a los Países Miembros.`,
  'result.resend_hint': (p: { cmd: string }) =>
    `Para revisar el texto y presentarlo de nuevo a la Troika, use ${p.cmd}: se iniciará una nueva consulta vinculada a esta.`,
  'result.withdrawn_by': (p: RefTitle & { by: string }) => `La propuesta «${p.title}» (${p.reference}) fue retirada por ${p.by}.`,
  'result.objection_by': (p: { country: string; reason: string }) => `Objeción de ${p.country}: ${p.reason}`,
  'withdrawn.by_ppt': (p: { country: string }) => `${p.country}, en su calidad de Presidencia Pro Tempore`,
  'withdrawn.by_st': 'la Secretaría Técnica',
  'digest.version_line': (p: { version: number; hash: string; when: string }) => `Versión ${p.version} · ${p.hash}, presentada el ${p.when}`,
  'digest.reaction_line': (p: { country: string; decision: string; who: string; when: string }) =>
    `${p.country}: ${p.decision}, por ${p.who}, el ${p.when}.`,
  'digest.reaction_implicit': (p: { country: string; decision: string }) => `${p.country}: ${p.decision}, como país proponente.`,
  'digest.reaction_missing': (p: { country: string }) => `${p.country}: sin respuesta a esta versión.`,
  'digest.extension_line': (p: { when: string; who: string; deadline: string }) =>
    `Plazo prorrogado el ${p.when} por ${p.who}. Nueva fecha límite: ${p.deadline}.`,
  'digest.withdrawn_by': (p: { by: string }) => `Retirada por ${p.by}.`,
  'digest.not_circulated': 'El texto no llegó a circularse a los Países Miembros.',
  'slack.withdrawn_troika': (p: Ref) => `La consulta ${p.reference} fue retirada. Se informó a la Troika y a la Secretaría Técnica.`,
  'slack.withdrawn_draft': (p: Ref) => `La consulta ${p.reference} fue retirada. Se informó a la Secretaría Técnica.`,
  'form.withdraw.confirm_troika': (p: RefTitle) =>
    `¿Retirar la consulta ${p.reference} «${p.title}»? Se informará del retiro a la Troika y a la Secretaría Técnica. Esta acción no se puede deshacer.`,
  'meeting.response.closed_door_seat_taken':
    'Después de que usted declinó, su país dio su lugar en la sesión a puerta cerrada a otra persona, y la delegación está completa. Consulte con el punto focal de su país.',
  // ---- Teams ----
  'teams.home.command': (p: { cmd: string }) => `${p.cmd}: lo que espera la respuesta de su país y las consultas abiertas que puede ver (también con el botón de abajo).`,
  'teams.welcome.heading': 'Bienvenida al bot de consultas de la CRM',
  'teams.welcome.intro':
    'Por este chat recibirá las solicitudes de las consultas especiales de la Conferencia Regional sobre Migración, los recordatorios antes de cada fecha límite y los resultados.',
  'teams.welcome.buttons': 'Las posiciones y las decisiones de la Troika se registran con los botones de las tarjetas que envía el bot.',
  'teams.welcome.commands': 'Puede escribir estos comandos en este chat:',
  'teams.personal_only': 'Para proteger la confidencialidad de las consultas, escriba este comando en su chat personal con el bot.',
  'teams.home.open': 'Mis consultas',
  'teams.home.refresh': 'Actualizar',
  'teams.form.working': 'Recibido. Se le avisará en este chat cuando esté hecho.',
  'teams.form.too_large': 'Este texto es demasiado largo para editarlo en una tarjeta de Microsoft Teams. Use /crm revisar en Slack o pregunte a la Secretaría Técnica.',
  'teams.maybe_repeat': 'Si este mensaje le llegó dos veces, ambos son el mismo: basta con responder en cualquiera de ellos.',
  'teams.form.time': 'Hora',
  'teams.form.required': 'Este campo es obligatorio.',
} satisfies Record<string, MessageShape>;
