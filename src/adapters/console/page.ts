/**
 * The console page's HTML: the person picker (`<select name="person">`: the directory's people by name,
 * grouped by the ST and by country, and the ST channel under its own entry), the command box
 * (`name="command"`, Enter sends), and the list the seat's cards are rendered in by ./assets/console.js with
 * Microsoft's Adaptive Cards renderer, and above it the seat's status pictures (`#pictures`: the SVGs of
 * ./pictures.ts as images, refreshed when a card arrives). Names come from the directory file and are escaped.
 */
import type { Directory } from '../../directory/model.ts';
import { seatGroups } from './seats.ts';
import { ST_CHANNEL_SEAT } from './store.ts';
import { bilingual } from './text.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function consolePage(directory: Directory): string {
  const groups = seatGroups(directory)
    .map(
      (g) =>
        `<optgroup label="${escapeHtml(g.label.es === g.label.en ? g.label.es : `${g.label.es} / ${g.label.en}`)}">` +
        g.people.map((p) => `<option value="${escapeHtml(p.id)}" data-locale="${p.locale}">${escapeHtml(p.name)}</option>`).join('') +
        `</optgroup>`,
    )
    .join('\n        ');
  const channel = bilingual('st_channel');
  return `<!doctype html>
<html lang="es">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(bilingual('page_title'))}</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/console/assets/console.css">
    <script src="/console/assets/adaptivecards.js" defer></script>
    <script src="/console/assets/console.js" defer></script>
  </head>
  <body>
    <header>
      <h1>${escapeHtml(bilingual('page_title'))}</h1>
      <p class="warning">${escapeHtml(bilingual('warning'))}</p>
    </header>
    <form id="console-form" autocomplete="off">
      <label class="person">${escapeHtml(bilingual('person'))}
        <select name="person" id="person">
        <option value="">—</option>
        ${groups}
        <optgroup label="${escapeHtml(channel)}"><option value="${ST_CHANNEL_SEAT}" data-locale="${directory.secretariat.locale}">${escapeHtml(channel)}</option></optgroup>
        </select>
      </label>
      <label class="command">${escapeHtml(bilingual('command'))}
        <input type="text" name="command" id="command" maxlength="500" spellcheck="false" placeholder="${escapeHtml(bilingual('command_placeholder'))}" disabled>
      </label>
      <button type="submit" id="send" disabled>${escapeHtml(bilingual('send'))}</button>
    </form>
    <p id="hint" class="hint" data-channel="${escapeHtml(bilingual('channel_read_only'))}"></p>
    <p id="error" class="error" role="alert" hidden></p>
    <section id="pictures" class="pictures" hidden data-none="${escapeHtml(bilingual('pictures_none'))}">
      <h2>${escapeHtml(bilingual('pictures_heading'))}</h2>
      <div id="picture-list"></div>
    </section>
    <main id="messages" aria-live="polite" data-seat=""></main>
  </body>
</html>
`;
}
