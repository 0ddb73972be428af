/** Small HTML helpers shared by the e-mails and the answer page: every value goes through `esc`. */
import type { Locale } from '../../directory/model.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** A paragraph of our own sentence (escaped; line breaks kept). */
export const para = (s: string, style = ''): string => `<p${style ? ` style="${style}"` : ''}>${esc(s).replace(/\n/g, '<br>')}</p>`;

/** User content quoted verbatim (the proposal): escaped, its line breaks and spacing kept. */
export const quoteBlock = (s: string): string =>
  `<blockquote style="margin:1em 0;padding:0.5em 1em;border-left:4px solid #8a9bb0;background:#f4f6f8;white-space:pre-wrap">${esc(s)}</blockquote>`;

export const fieldsTable = (fields: readonly { label: string; value: string }[]): string =>
  fields.length === 0
    ? ''
    : `<table role="presentation" style="border-collapse:collapse;margin:1em 0">${fields
        .map((f) => `<tr><th scope="row" style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${esc(f.label)}</th><td style="padding:2px 0">${esc(f.value)}</td></tr>`)
        .join('')}</table>`;

export const dataTable = (t: { columns: readonly string[]; rows: readonly (readonly string[])[] } | undefined): string =>
  !t
    ? ''
    : `<table style="border-collapse:collapse;margin:1em 0"><thead><tr>${t.columns
        .map((c) => `<th scope="col" style="text-align:left;border-bottom:1px solid #999;padding:2px 8px">${esc(c)}</th>`)
        .join('')}</tr></thead><tbody>${t.rows
        .map((r) => `<tr>${r.map((c) => `<td style="padding:2px 8px;vertical-align:top">${esc(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

/** A whole HTML document in `locale`. `body` must already be HTML built from escaped parts. */
export function htmlDocument(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1b1f24;background:#fff;margin:0}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.4rem;margin:0 0 1rem}
fieldset{border:1px solid #b7c0cc;border-radius:6px;padding:1rem;margin:1.5rem 0}
legend{font-weight:600;padding:0 .3rem}
label{display:block;font-weight:600;margin-bottom:.3rem}
textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit;padding:.5rem}
.hint{color:#4a5563;font-size:.95rem;margin:.3rem 0 1rem}
.error{color:#a4161a;font-weight:600}
.buttons{display:flex;flex-wrap:wrap;gap:.6rem}
button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:6px;border:2px solid #1d4f91;background:#fff;color:#1d4f91;cursor:pointer}
button.primary{background:#1d4f91;color:#fff}
button.danger{border-color:#a4161a;color:#a4161a}
button:focus-visible,a:focus-visible,textarea:focus-visible{outline:3px solid #f0a202;outline-offset:2px}
.notice{border-left:4px solid #1d4f91;padding:.5rem 1rem;background:#eef3fa}
.refusal{border-left:4px solid #a4161a;padding:.5rem 1rem;background:#fbeeee}
footer{color:#4a5563;font-size:.9rem;margin-top:2rem}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
