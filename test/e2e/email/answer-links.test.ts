/**
 * Issue 10 part 2, end to end (harness.ts): focal points without a chat address get the Troika request
 * and the member request by e-mail over a real SMTP server; the link in the e-mail, followed over real
 * HTTP, shows the text and records the answer once with `platform: email`; a tampered, expired, foreign
 * or after-the-close link is refused with a clear page and nothing recorded (checked in the database); a
 * person Slack refuses gets the message by e-mail and the ST is told; no address, secret or token is
 * ever in the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsultation, reactTroika, withdraw } from '../../../src/flows/consultation-flows.ts';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { DAY } from '../../helpers/engine.ts';
import { EMAIL_ONLY, SLACK_REFUSES, SMTP_PASS, getPage, postAnswer, startEmailWorld, type EmailWorld } from './harness.ts';

const PPT = 'itzel.castillo@example.org'; // PA, the PPT in office
const MX = 'fernanda.rios@example.org';
const TEXT = 'Propuesta de <script>alert("x")</script> acción concertada & apoyo a las personas migrantes.';

let w: EmailWorld;
let state: ConsultationState;
const tokens: Record<string, string> = {};

async function snapshot(consultationId: string) {
  const p = w.engine.db.prisma;
  return {
    events: await p.consultationEvent.count({ where: { consultationId } }),
    commands: await p.commandLog.count(),
    applied: await p.commandLog.count({ where: { status: 'applied' } }),
  };
}
const events = (consultationId: string, type: string) =>
  w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId, type }, orderBy: { seq: 'asc' } });

beforeAll(async () => {
  w = await startEmailWorld(import.meta.url);
  const started = await startConsultation(w.engine.deps, {
    key: 'e2e-email:start',
    actor: w.actor(PPT),
    title: 'Protección de personas migrantes en tránsito',
    text: TEXT,
    deadline: { kind: 'business_days', days: 5 },
  });
  if (!started.ok) throw new Error(`start refused: ${started.code}`);
  state = started.state;
});
afterAll(async () => {
  await w?.stop();
});

describe('the Troika request by e-mail', () => {
  it('reaches the Troika focal point without a chat address, in Spanish, with a link', async () => {
    const { mail, token } = await w.mailTo(EMAIL_ONLY.rodrigo, state.reference, 'Troika');
    expect(token).toBeDefined();
    tokens.rodrigo = token!;
    expect(mail.parsed.text).toContain('> Propuesta de <script>alert("x")</script> acción concertada');
    expect(mail.parsed.html).toContain('<html lang="es">');
  });

  it('the link shows the text, version and the Troika buttons, escaped, with nothing recorded', async () => {
    const before = await snapshot(state.consultationId);
    const page = await getPage(w, tokens.rodrigo!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.html).toContain('<html lang="es">');
    expect(page.html).toContain('Protección de personas migrantes en tránsito');
    expect(page.html).toContain('Propuesta de &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; acción concertada &amp; apoyo');
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain(state.currentVersion.slice(0, 12));
    for (const action of ['troika_approve', 'troika_changes', 'troika_object']) expect(page.html).toContain(`name="choice" value="${action}"`);
    expect(page.html).toContain('Aprobar circulación');
    expect(page.html).toContain(`action="./${tokens.rodrigo}"`);
    expect(await snapshot(state.consultationId)).toEqual(before);
  });

  it('an objection without a reason is refused on the form, nothing recorded', async () => {
    const before = await snapshot(state.consultationId);
    const page = await postAnswer(w, tokens.rodrigo!, { choice: 'troika_object', reason: '   ' });
    expect(page.status).toBe(422);
    expect(page.html).toContain('Debe indicar el motivo.');
    expect(page.html).toContain('aria-invalid="true"');
    expect(await snapshot(state.consultationId)).toEqual(before);
  });

  it('an approval is recorded once, on platform email, and a replay records nothing new', async () => {
    const page = await postAnswer(w, tokens.rodrigo!, { choice: 'troika_approve' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Respuesta registrada');
    expect(page.html).toContain('El Salvador');
    const reacted = await events(state.consultationId, 'troika_reacted');
    expect(reacted).toHaveLength(1);
    expect(reacted[0]).toMatchObject({ actorPlatform: 'email', actorPersonId: EMAIL_ONLY.rodrigo, payload: { country: 'SV', reaction: 'approve' } });
    const before = await snapshot(state.consultationId);
    const again = await postAnswer(w, tokens.rodrigo!, { choice: 'troika_approve' });
    expect(again.status).toBe(200);
    expect(again.html).toContain('ya se había enviado con este enlace');
    expect(await snapshot(state.consultationId)).toEqual(before);
  });

  it('once the Troika review is over, the Troika link is refused, nothing recorded', async () => {
    const mx = await reactTroika(w.engine.deps, { key: 'e2e-email:mx', actor: w.actor(MX), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
    if (!mx.ok) throw new Error(mx.code);
    state = mx.state;
    expect(state.stage).toBe('member_consultation');
    const before = await snapshot(state.consultationId);
    const page = await postAnswer(w, tokens.rodrigo!, { choice: 'troika_object', reason: 'tarde' });
    expect(page.status).toBe(410);
    expect(page.html).toContain('La revisión de la Troika de la consulta');
    expect(await snapshot(state.consultationId)).toEqual(before);
  });
});

describe('the member request by e-mail', () => {
  it('reaches each e-mail-only focal point in their language', async () => {
    const es = await w.mailTo(EMAIL_ONLY.gabriela, state.reference, 'posición');
    const en = await w.mailTo(EMAIL_ONLY.claire, state.reference, 'your position');
    tokens.gabriela = es.token!;
    tokens.claire = en.token!;
    expect(es.mail.parsed.text).toContain('Responda en la página del enlace');
    expect(en.mail.parsed.text).toContain('Please answer on the page of the link');
    expect(tokens.gabriela).not.toBe(tokens.claire);
  });

  it('an objection with its reason is recorded once with platform email; a replay changes nothing', async () => {
    const page = await postAnswer(w, tokens.gabriela!, { choice: 'position_object', reason: 'Falta <b>consenso</b> regional.' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Se registró la posición de Costa Rica: Objeta.');
    let recorded = await events(state.consultationId, 'position_recorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      actorPlatform: 'email',
      actorPersonId: EMAIL_ONLY.gabriela,
      payload: { country: 'CR', position: 'object', reason: 'Falta <b>consenso</b> regional.', version: state.currentVersion },
    });
    const replay = await postAnswer(w, tokens.gabriela!, { choice: 'position_object', reason: 'Falta <b>consenso</b> regional.' });
    expect(replay.html).toContain('ya se había enviado con este enlace');
    recorded = await events(state.consultationId, 'position_recorded');
    expect(recorded).toHaveLength(1);
  });

  it('the same link records another answer once (a change of position), and the page shows the current one', async () => {
    expect((await postAnswer(w, tokens.gabriela!, { choice: 'position_support' })).status).toBe(200);
    // The objection again through the same link is a replay: nothing changes, Costa Rica still supports.
    expect((await postAnswer(w, tokens.gabriela!, { choice: 'position_object', reason: 'otra vez' })).html).toContain('ya se había enviado');
    const recorded = await events(state.consultationId, 'position_recorded');
    expect(recorded.map((e) => (e.payload as { position: string }).position)).toEqual(['object', 'support']);
    const page = await getPage(w, tokens.gabriela!);
    expect(page.html).toContain('Registrado por Gabriela Chaves (Costa Rica) el ');
    expect(page.html).toContain(': Apoya.');
    // The reason typed before choosing "support" is not kept with it.
    expect((recorded[1]!.payload as { reason?: string }).reason).toBeUndefined();
  });

  it('a tampered link is refused in both languages, with nothing recorded', async () => {
    const before = await snapshot(state.consultationId);
    const t = tokens.claire!;
    const [payload, signature] = t.split('.') as [string, string];
    const flipped = `${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    // Claire's link re-pointed at Gabriela (another person), keeping Claire's signature.
    const repointed = `${Buffer.from(JSON.stringify({ ...claims, p: w.email.links.personRef(EMAIL_ONLY.gabriela) })).toString('base64url')}.${signature}`;
    // …or at another consultation, or made to answer as the Troika, keeping the signature.
    const otherConsultation = `${Buffer.from(JSON.stringify({ ...claims, c: 'another-consultation' })).toString('base64url')}.${signature}`;
    const otherPurpose = `${Buffer.from(JSON.stringify({ ...claims, k: 'troika' })).toString('base64url')}.${signature}`;
    for (const bad of [flipped, repointed, otherConsultation, otherPurpose, t.slice(0, -2), 'nonsense']) {
      const page = await postAnswer(w, bad, { choice: 'position_support' });
      expect(page.status).toBe(400);
      expect(page.html).toContain('Enlace no válido');
      expect(page.html).toContain('Link not valid');
      expect((await getPage(w, bad)).status).toBe(400);
    }
    expect(await snapshot(state.consultationId)).toEqual(before);
  });

  it('a link for someone who is not a participant (an observer country’s focal point) is refused', async () => {
    const before = await snapshot(state.consultationId);
    const observer = w.email.links.issue({
      consultationId: state.consultationId,
      version: state.currentVersion,
      personId: 'andre.campbell@example.org',
      purpose: 'member',
      expiresAt: new Date(w.engine.clock.now().getTime() + DAY),
    });
    const page = await postAnswer(w, observer, { choice: 'position_support' });
    expect(page.status).toBe(400);
    expect(await snapshot(state.consultationId)).toEqual(before);
  });

  it('an expired link is refused in the person’s language, with nothing recorded', async () => {
    const before = await snapshot(state.consultationId);
    const start = w.engine.clock.now();
    w.engine.clock.advance(31 * DAY);
    try {
      const page = await postAnswer(w, tokens.claire!, { choice: 'position_support' });
      expect(page.status).toBe(410);
      expect(page.html).toContain('<html lang="en">');
      expect(page.html).toContain('This link has expired');
      expect((await getPage(w, tokens.claire!)).status).toBe(410);
    } finally {
      w.engine.clock.set(start);
    }
    expect(await snapshot(state.consultationId)).toEqual(before);
  });

  it('after the close the link is refused with a clear page, nothing recorded', async () => {
    const ended = await withdraw(w.engine.deps, { key: 'e2e-email:withdraw', actor: w.actor(PPT), consultationId: state.consultationId, reason: 'Se retira para revisión.' });
    if (!ended.ok) throw new Error(ended.code);
    const before = await snapshot(state.consultationId);
    const page = await postAnswer(w, tokens.claire!, { choice: 'position_support' });
    expect(page.status).toBe(410);
    expect(page.html).toContain('Consultation ended');
    expect(page.html).toContain('The consultation has ended; no further actions are possible.');
    expect((await getPage(w, tokens.claire!)).status).toBe(410);
    expect(await snapshot(state.consultationId)).toEqual(before);
    const positions = await events(state.consultationId, 'position_recorded');
    expect(positions.map((e) => (e.payload as { country: string }).country)).toEqual(['CR', 'CR']);
  });
});

describe('a link to a country that may not answer it', () => {
  it('a Troika link for a Member Country outside the Troika is refused by the domain: 403, no reaction', async () => {
    const second = await startConsultation(w.engine.deps, {
      key: 'e2e-email:start-2',
      actor: w.actor(PPT),
      title: 'Segunda consulta',
      text: 'Otro texto.',
      deadline: { kind: 'business_days', days: 5 },
    });
    if (!second.ok) throw new Error(second.code);
    const s = second.state;
    const foreign = w.email.links.issue({
      consultationId: s.consultationId,
      version: s.currentVersion,
      personId: EMAIL_ONLY.gabriela, // Costa Rica: not in this Troika
      purpose: 'troika',
      expiresAt: new Date(w.engine.clock.now().getTime() + DAY),
    });
    const shown = await getPage(w, foreign);
    expect(shown.status).toBe(403);
    expect(shown.html).toContain('Solo los puntos focales de los países de la Troika');
    expect(shown.html).not.toContain('name="choice"');
    const page = await postAnswer(w, foreign, { choice: 'troika_approve' });
    expect(page.status).toBe(403);
    expect(page.html).toContain('Respuesta no registrada');
    expect(await events(s.consultationId, 'troika_reacted')).toHaveLength(0);
    // The domain keeps the refused attempt in the command log (domain.md "Authority"), with platform email.
    const refused = await w.engine.db.prisma.commandLog.findMany({ where: { consultationId: s.consultationId, status: 'refused' } });
    expect(refused.map((r) => [r.actorPlatform, (r.result as { code: string }).code])).toEqual([['email', 'not_troika_member']]);
  });
});

describe('fallback and logs', () => {
  it('a focal point Slack refuses gets the member request by e-mail, and the ST is told', async () => {
    const { mail } = await w.mailTo(SLACK_REFUSES, state.reference, 'posición');
    expect(mail.parsed.text).toContain('Responda en la página del enlace');
    const rows = await w.engine.db.prisma.outboxMessage.findMany({ where: { consultationId: state.consultationId, kind: 'dead_letter' } });
    const letters = rows.map((r) => r.payload as { body: string[] });
    expect(letters.some((l) => l.body.some((b) => b.includes('Luis Mora Solís')) && l.body.at(-1) === 'Se le envió el mensaje por correo electrónico en su lugar.')).toBe(true);
    const dead = await w.engine.db.prisma.outboxMessage.findMany({ where: { status: 'dead' } });
    for (const d of dead) expect(d.lastError ?? '').not.toContain('@');
  });

  it('no e-mail address, SMTP password, link secret or link token appears in any log line', async () => {
    const logs = w.logs();
    expect(logs.length).toBeGreaterThan(1_000); // it did log: requests, commands, deliveries
    expect(logs).toContain('answer recorded');
    expect(logs).toContain('answer link refused');
    expect(logs).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
    expect(logs).not.toContain(SMTP_PASS);
    const secret = await w.engine.db.prisma.appSecret.findUnique({ where: { name: 'answer_link_secret' } });
    expect(secret?.value).toBeDefined();
    expect(logs).not.toContain(secret!.value);
    for (const token of Object.values(tokens)) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(token.split('.')[1]!);
    }
  });
});
