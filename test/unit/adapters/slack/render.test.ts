import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  parseButtonValue,
  renderEphemeral,
  renderMessage,
  renderRecordedCard,
  SlackRenderError,
  SLACK_LIMITS,
  type KnownBlock,
} from '../../../../src/adapters/slack/render.ts';
import { t } from '../../../../src/i18n/index.ts';
import { buttonValue, type NeutralMessage } from '../../../../src/messages/neutral.ts';
import { blockKitProblems } from '../../../helpers/fake-slack-api.ts';

const VALUE = buttonValue('c-123', 'a'.repeat(64));

function memberRequest(over: Partial<NeutralMessage> = {}): NeutralMessage {
  return {
    kind: 'member_request',
    locale: 'es',
    consultationId: 'c-123',
    reference: 'CRM-2026-007',
    heading: 'Consulta especial CRM-2026-007: se solicita su posición',
    body: ['Se solicita la posición de Costa Rica sobre la propuesta «Declaración» (CRM-2026-007).', 'Regla de decisión: Procedimiento escrito.'],
    quote: 'Artículo 1. La Conferencia acuerda…\n\nArtículo 2. Entra en vigor.',
    fields: [
      { label: 'Referencia', value: 'CRM-2026-007' },
      { label: 'Versión del texto', value: '1 · aaaaaaaaaaaa' },
    ],
    buttons: [
      { actionId: 'position_support', label: 'Apoyar', value: VALUE, style: 'primary' },
      { actionId: 'position_object', label: 'Objetar', value: VALUE, style: 'danger' },
      { actionId: 'position_abstain', label: 'Abstenerse', value: VALUE },
    ],
    ...over,
  };
}

/** Every mrkdwn / plain text in the blocks, for assertions over all of them. */
function texts(blocks: KnownBlock[]): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

const mrkdwnTexts = (blocks: KnownBlock[]) => {
  const out: string[] = [];
  JSON.stringify(blocks, (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'mrkdwn') out.push((v as { text: string }).text);
    return v;
  });
  return out;
};

const actions = (blocks: KnownBlock[]) => blocks.filter((b) => b.type === 'actions') as Extract<KnownBlock, { type: 'actions' }>[];

describe('renderMessage', () => {
  it('renders a member request: header, sentences, fields, quote, buttons with the exact action ids and values', () => {
    const { text, blocks, metadata } = renderMessage(memberRequest());
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Consulta especial CRM-2026-007: se solicita su posición', emoji: true } });
    expect(blockKitProblems(blocks)).toEqual([]);
    const [row] = actions(blocks);
    expect(row?.elements.map((e) => (e as { action_id: string }).action_id)).toEqual(['position_support', 'position_object', 'position_abstain']);
    for (const e of row!.elements) expect((e as { value: string }).value).toBe(VALUE);
    expect(row!.elements.map((e) => (e as { style?: string }).style)).toEqual(['primary', 'danger', undefined]);
    expect(mrkdwnTexts(blocks).some((x) => x.startsWith('> Art'))).toBe(true);
    expect(text).toContain('CRM-2026-007');
    expect(metadata).toBeUndefined();
  });

  it('renders the Troika request buttons with their action ids', () => {
    const m = memberRequest({
      kind: 'troika_request',
      buttons: [
        { actionId: 'troika_approve', label: 'Aprobar circulación', value: VALUE, style: 'primary' },
        { actionId: 'troika_changes', label: 'Solicitar cambios', value: VALUE },
        { actionId: 'troika_object', label: 'Objetar', value: VALUE, style: 'danger' },
      ],
    });
    const [row] = actions(renderMessage(m).blocks);
    expect(row?.elements.map((e) => (e as { action_id: string }).action_id)).toEqual(['troika_approve', 'troika_changes', 'troika_object']);
  });

  it('escapes user content everywhere: no mention, broadcast, link or formatting gets through', () => {
    const evil = '<!channel> <@U123ABC> <https://evil.example|click> & *bold* _it_ ~x~ `code` @here';
    const m = memberRequest({
      heading: `Consulta ${evil}`,
      body: [`Propuesta «${evil}»`],
      quote: `${evil}\n> not a quote`,
      fields: [{ label: 'Título', value: evil }],
    });
    const { text, blocks } = renderMessage(m);
    for (const s of [...mrkdwnTexts(blocks), text]) {
      expect(s).not.toMatch(/<[!@#]|<https?:/);
      expect(s).not.toMatch(/(^|\s)\*bold\*|(^|\s)_it_|`code`/);
      expect(s).not.toMatch(/@here/);
    }
    const all = mrkdwnTexts(blocks).join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;@U123ABC&gt;');
    expect(all).toContain('&amp;');
    // A user's "> " line stays inside our quote, not a nested one.
    expect(all).not.toMatch(/^> >/m);
  });

  it('escapeMrkdwn leaves in-word delimiters (snake_case, URLs) alone and escapes only what Slack reads', () => {
    expect(escapeMrkdwn('a_b https://x.org/a_b 3 < 4 & 5 > 1')).toBe('a_b https://x.org/a_b 3 &lt; 4 &amp; 5 &gt; 1');
    expect(escapeMrkdwn('*x*')).toBe('*\u200Bx*\u200B');
  });

  it('splits a 20,000-char proposal into sections of at most 3000 chars, keeping every word, within 50 blocks', () => {
    const words = Array.from({ length: 4000 }, (_, i) => `pal${i}`);
    const paragraphs: string[] = [];
    for (let i = 0; i < words.length; i += 100) paragraphs.push(words.slice(i, i + 100).join(' '));
    const quote = paragraphs.join('\n\n').slice(0, 20_000);
    const { blocks } = renderMessage(memberRequest({ quote }));
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    const quoted = mrkdwnTexts(blocks).filter((x) => x.startsWith('>'));
    expect(quoted.length).toBeGreaterThan(6);
    for (const q of quoted) expect(q.length).toBeLessThanOrEqual(3000);
    const rebuilt = quoted.join('\n').replace(/^> ?/gm, '').replace(/\s+/g, ' ').trim();
    expect(rebuilt).toBe(quote.replace(/\s+/g, ' ').trim());
  });

  it('splits one 20,000-char line without spaces, and escapes without cutting an entity', () => {
    const quote = '<&>'.repeat(6_666);
    const { blocks } = renderMessage(memberRequest({ quote }));
    expect(blockKitProblems(blocks)).toEqual([]);
    for (const q of mrkdwnTexts(blocks).filter((x) => x.startsWith('>'))) {
      expect(q.replace(/^> \u200B?/, '')).toMatch(/^(&lt;|&amp;|&gt;)+$/);
    }
  });

  it('cuts the quote with a note when even split it cannot fit the 50-block budget', () => {
    const fields = Array.from({ length: 400 }, (_, i) => ({ label: `F${i}`, value: 'v' }));
    const quote = 'x '.repeat(10_000);
    const { blocks } = renderMessage(memberRequest({ fields, quote }));
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toContain(escapeMrkdwn(t('es', 'slack.proposal_truncated', { reference: 'CRM-2026-007' })).slice(0, 40));
    expect(actions(blocks)).toHaveLength(1);
  });

  it('puts at most 10 fields per section', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: `V${i}` }));
    const { blocks } = renderMessage(memberRequest({ fields }));
    const withFields = blocks.filter((b) => b.type === 'section' && 'fields' in b && b.fields) as { fields: unknown[] }[];
    expect(withFields.map((s) => s.fields.length)).toEqual([10, 10, 3]);
  });

  it('renders the digest: one line per country, the metadata exactly as interfaces.md says', () => {
    const positions = { CR: 'support', MX: 'object', PA: 'none' };
    const digest: NeutralMessage = {
      kind: 'digest',
      locale: 'en',
      consultationId: 'c-1',
      reference: 'CRM-2026-007',
      heading: 'Summary of consultation CRM-2026-007',
      body: ['Outcome: No consensus'],
      fields: [{ label: 'Reference', value: 'CRM-2026-007' }],
      table: {
        columns: ['Country', 'Position', 'Recorded by', 'Date', 'Reason'],
        rows: [
          ['Costa Rica', 'Supports', 'Luis Mora', '2026-11-27 17:16', ''],
          ['Mexico', 'Objects', 'Ana <!here> Ruiz', '2026-11-28 09:00', 'The second paragraph conflicts with our national legislation on asylum procedures.'],
          ['Panama', 'No response', '—', '—', ''],
        ],
      },
      buttons: [],
      metadata: { eventType: 'crm_consultation_closed', payload: { reference: 'CRM-2026-007', outcome: 'no_consensus', positions } },
    };
    const { blocks, metadata } = renderMessage(digest);
    expect(metadata).toEqual({
      event_type: 'crm_consultation_closed',
      event_payload: { reference: 'CRM-2026-007', outcome: 'no_consensus', positions: { CR: 'support', MX: 'object', PA: 'none' } },
    });
    expect(blockKitProblems(blocks)).toEqual([]);
    const table = mrkdwnTexts(blocks).find((x) => x.includes('*Costa Rica*'))!;
    const lines = table.split('\n');
    expect(lines[0]).toBe('*Costa Rica* — Supports · Luis Mora · 2026-11-27 17:16');
    expect(lines[1]).toBe('*Mexico* — Objects · Ana &lt;!here&gt; Ruiz · 2026-11-28 09:00');
    expect(lines[2]).toMatch(/^ {4}_Reason:_ The second paragraph/);
    expect(lines[3]).toBe('*Panama* — No response');
    expect(actions(blocks)).toHaveLength(0);
  });

  it('refuses a button value over 2000 chars (a programming error, not a Slack error later)', () => {
    const m = memberRequest({ buttons: [{ actionId: 'position_support', label: 'x', value: 'v'.repeat(2001) }] });
    expect(() => renderMessage(m)).toThrow(SlackRenderError);
  });

  it('keeps every text object within its limit for a long heading and long field values', () => {
    const m = memberRequest({ heading: 'H'.repeat(500), fields: [{ label: 'L', value: '<'.repeat(5000) }] });
    const { blocks } = renderMessage(m);
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(texts(blocks).every((x) => x.length <= 3000)).toBe(true);
  });
});

describe('renderRecordedCard', () => {
  const rec = { who: 'Luis <@U1> Mora (Costa Rica)', what: 'Apoya', when: 'viernes 4 de diciembre de 2026, 10:00 (hora de Costa Rica)' };

  it('a member card keeps its buttons (a position may change until the close) and says who did what when', () => {
    const { blocks, text } = renderRecordedCard(memberRequest(), rec);
    expect(blockKitProblems(blocks)).toEqual([]);
    const all = mrkdwnTexts(blocks).join('\n');
    expect(all).toContain(escapeMrkdwn(t('es', 'card.recorded', rec)));
    expect(all).not.toContain('<@U1>');
    expect(all).toContain(escapeMrkdwn(t('es', 'card.position_may_change')));
    expect(actions(blocks)[0]?.elements).toHaveLength(3);
    expect(blocks[1]?.type).toBe('section'); // the note right under the header
    expect(text).toContain('Apoya');
    // The proposal stays readable.
    expect(all).toContain('> Artículo 1.');
  });

  it('without buttons once the decision is final', () => {
    const m = memberRequest({ kind: 'troika_request', locale: 'en' });
    const { blocks } = renderRecordedCard(m, rec, { keepButtons: false });
    expect(actions(blocks)).toHaveLength(0);
    expect(mrkdwnTexts(blocks).join('\n')).toContain(t('en', 'card.no_more_actions'));
  });
});

describe('renderEphemeral', () => {
  it('escapes and fits one section', () => {
    const { text, blocks } = renderEphemeral('No <!everyone> & done');
    expect(text).toBe('No &lt;!everyone&gt; &amp; done');
    expect(blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text } }]);
    expect(blockKitProblems(renderEphemeral('x'.repeat(9000)).blocks)).toEqual([]);
  });
});

describe('parseButtonValue', () => {
  it('reads what buttonValue wrote', () => {
    expect(parseButtonValue(buttonValue('c-1', 'h1'))).toEqual({ consultationId: 'c-1', versionHash: 'h1' });
  });
  it.each([undefined, 42, '', 'not json', '{"c":"x"}', '{"c":"","v":"h"}', JSON.stringify({ c: 'x'.repeat(300), v: 'h' }), `{"c":"x","v":"${'h'.repeat(2100)}"}`])(
    'rejects %j',
    (v) => expect(parseButtonValue(v)).toBeUndefined(),
  );
});
