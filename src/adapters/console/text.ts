/**
 * The console's own words, in both official languages. The page (a seat's language is unknown until a seat
 * is picked) shows both; validation errors are said in both, Spanish first, as the bot's other bilingual
 * refusals are (interaction/refusals.ts notInDirectoryText).
 */
import type { Locale } from '../../directory/model.ts';

const TEXT = {
  page_title: { es: 'Consola local de la CRM', en: 'CRM local console' },
  person: { es: 'Persona', en: 'Person' },
  st_channel: { es: 'Canal de la ST', en: 'ST channel' },
  staff: { es: 'Secretaría Técnica', en: 'Technical Secretariat' },
  command: { es: 'Comando (Enter envía)', en: 'Command (Enter sends)' },
  command_placeholder: { es: 'consulta · estado · lista · plazo 5 · ayuda', en: 'consult · status · list · deadline 5 · help' },
  send: { es: 'Enviar', en: 'Send' },
  channel_read_only: { es: 'El canal de la ST solo recibe mensajes: elija una persona para escribir.', en: 'The ST channel only receives messages: pick a person to type.' },
  warning: {
    es: 'Herramienta local de prueba: permite actuar como cualquier persona del directorio. Solo en 127.0.0.1.',
    en: 'A local trial tool: it lets you act as anyone in the directory. On 127.0.0.1 only.',
  },
  loading: { es: 'Un momento…', en: 'One moment…' },
  bad_json: { es: 'La solicitud no es JSON válido.', en: 'The request is not valid JSON.' },
  bad_person: { es: 'Elija una persona del directorio.', en: 'Pick a person from the directory.' },
  bad_command: { es: 'Escriba un comando de una línea, de 500 caracteres como máximo.', en: 'Type a one-line command of at most 500 characters.' },
  bad_action: { es: 'Ese botón no es válido (acción o datos inesperados); no se registró nada.', en: 'That button is not valid (unexpected action or data); nothing was recorded.' },
  card_gone: { es: 'Esa tarjeta ya no está en la consola; no se registró nada.', en: 'That card is no longer in the console; nothing was recorded.' },
  channel_cannot_act: { es: 'El canal de la ST no puede actuar: elija una persona.', en: 'The ST channel cannot act: pick a person.' },
  bad_picture: { es: 'Esa imagen no existe: use /console/picture/CRM-AAAA-NNN.svg?person=… (view=status o timeline).', en: 'No such picture: use /console/picture/CRM-YYYY-NNN.svg?person=… (view=status or timeline).' },
  picture_gone: { es: 'No hay una consulta con esa referencia que esta persona pueda ver.', en: 'There is no consultation with that reference that this person may see.' },
  pictures_heading: { es: 'Estado de las consultas', en: 'Consultations at a glance' },
  pictures_none: { es: 'No hay consultas abiertas ni recientes para esta persona.', en: 'No open or recent consultations for this person.' },
  forbidden: { es: 'La consola solo responde en 127.0.0.1.', en: 'The console only answers on 127.0.0.1.' },
  failed: { es: 'Algo falló; inténtelo de nuevo. Referencia: {requestId}', en: 'Something failed; please try again. Reference: {requestId}' },
} as const satisfies Record<string, Record<Locale, string>>;

export type ConsoleTextKey = keyof typeof TEXT;

export function consoleText(locale: Locale, key: ConsoleTextKey, vars: Record<string, string> = {}): string {
  return TEXT[key][locale].replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

/** Both languages, Spanish first: "… / …". */
export const bilingual = (key: ConsoleTextKey, vars: Record<string, string> = {}): string => `${consoleText('es', key, vars)} / ${consoleText('en', key, vars)}`;
