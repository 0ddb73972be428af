/**
 * Checks a card the way the tests require: the official `adaptivecards` parser (the library the
 * Adaptive Cards renderers are built on) reports no error or warning while parsing and validating it, the
 * JSON stays under Teams' 28 KB, and every Action.Execute, wherever it is, has a verb.
 */
import * as AC from 'adaptivecards';
import { TEAMS_MESSAGE_LIMIT_BYTES } from '../../src/adapters/teams/render.ts';

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i += 1) {
    const e = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes >= TEAMS_MESSAGE_LIMIT_BYTES) problems.push(`size: ${bytes} bytes`);
  for (const a of executeActions(card)) {
    if (typeof a.verb !== 'string' || a.verb.trim() === '') problems.push(`Action.Execute without a verb: ${JSON.stringify(a).slice(0, 120)}`);
  }
  if ((card as { version?: unknown }).version !== '1.5') problems.push('version is not 1.5');
  return problems;
}

/** Every Action.Execute in the card, at any depth. */
export function executeActions(node: unknown): { verb?: unknown; data?: unknown; title?: unknown }[] {
  const found: { verb?: unknown; data?: unknown; title?: unknown }[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if ((n as { type?: unknown }).type === 'Action.Execute') found.push(n as { verb?: unknown });
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return found;
}

/** Every input id in the card, in order. */
export function inputIds(node: unknown): string[] {
  const ids: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as { type?: unknown; id?: unknown };
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') ids.push(o.id);
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return ids;
}

/** All the text a person reads on the card (TextRuns, TextBlocks, labels, titles), in order. */
export function cardTexts(node: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if ((o.type === 'TextRun' || o.type === 'TextBlock') && typeof o.text === 'string') out.push(o.text);
      if (typeof o.label === 'string') out.push(o.label);
      if (typeof o.title === 'string') out.push(o.title);
      Object.entries(o).forEach(([k, v]) => k !== 'data' && walk(v));
    }
  };
  walk(node);
  return out;
}
