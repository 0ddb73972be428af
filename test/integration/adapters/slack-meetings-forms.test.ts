/**
 * Meetings' chat commands and forms on Slack, end to end in-process (real HTTP, PostgreSQL, the fake Slack
 * API): `/crm reunion` opens `meeting_new` for the PPT and the ST only; `/crm reuniones` lists the upcoming
 * meetings with a delegation button for a Member Country's focal point; the `meeting_delegation` form
 * registers the delegation all or nothing, refusals on the segment's field naming the person and why;
 * `/crm pendientes` shows the duties to the ST and the members' focal points only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findButton, stateValue } from '../../helpers/slack-requests.ts';
import { PEOPLE, startSlackAppWorld, type SlackAppWorld } from './slack-app-harness.ts';

let w: SlackAppWorld;
const text = (v: unknown) => JSON.stringify(v ?? '');
const lastResponse = (user: string, what: string) =>
  w.waitFor(() => w.responses.filter((r) => r.user === user).find((r) => text(r.body).includes(what)), what);

beforeAll(async () => {
  w = await startSlackAppWorld(import.meta.url);
});
afterAll(async () => {
  await w?.close();
});

describe('/crm reunion: the new-meeting form', () => {
  it('opens meeting_new for a PPT focal point; a submission with the dates reversed is refused on the field', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'reunión');
    const view = await w.openedView(triggerId);
    expect(view.callback_id).toBe('meeting_new');
    const bad = await w.submit(PEOPLE.pptPA, view, {
      kind: stateValue.select('grcm'),
      start: stateValue.date('2027-06-16'),
      end: stateValue.date('2027-06-15'),
    });
    expect(JSON.parse(bad.body)).toEqual({ response_action: 'errors', errors: { end: 'El último día es anterior al primero.' } });
    expect(await w.engine.db.prisma.meeting.count()).toBe(0);
  });

  it('records the meeting and says so in the person’s language', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'meeting');
    const view = await w.openedView(triggerId);
    const res = await w.submit(PEOPLE.pptPA, view, {
      kind: stateValue.select('grcm'),
      start: stateValue.date('2027-06-15'),
      end: stateValue.date('2027-06-16'),
      city: stateValue.text('Ciudad de Panamá'),
    });
    expect(res.body).toContain('Reunión registrada');
    const m = await w.engine.db.prisma.meeting.findFirstOrThrow();
    expect({ reference: m.reference, kind: m.kind, country: m.country }).toEqual({ reference: 'MTG-2027-001', kind: 'grcm', country: 'PA' });
  });

  it('is refused, privately, to a focal point of another country', async () => {
    await w.command(PEOPLE.memberCR, 'reunion');
    await w.waitFor(() => w.privateTexts(PEOPLE.memberCR).find((t) => t.includes('pueden registrar una reunión')), 'manage only');
    expect(w.slack.callsOf('views.open').filter((c) => (c.args.view as { callback_id?: string }).callback_id === 'meeting_new')).toHaveLength(2);
  });
});

describe('/crm reuniones and the meeting_delegation form', () => {
  let delegationView: Record<string, unknown> & { id: string };

  it('lists the upcoming meetings with a delegation button for a member focal point', async () => {
    await w.command(PEOPLE.memberCR, 'reuniones');
    const r = await lastResponse(PEOPLE.memberCR, 'Próximas reuniones');
    expect(text(r.body)).toContain('MTG-2027-001');
    expect(findButton(r.body.blocks as unknown[], 'meeting_delegation_open')).toBeDefined();
  });

  it('the button opens the delegation form with the country’s people', async () => {
    const r = await lastResponse(PEOPLE.memberCR, 'Próximas reuniones');
    const value = findButton(r.body.blocks as unknown[], 'meeting_delegation_open')!.value!;
    const card = { channel: w.slack.dmChannelOf(PEOPLE.memberCR), ts: '1.000', text: '', blocks: r.body.blocks as unknown[] } as never;
    await w.click(PEOPLE.memberCR, 'meeting_delegation_open', { message: card, value });
    const call = await w.waitFor(
      () => w.slack.callsOf('views.update').find((c) => (c.args.view as { callback_id?: string }).callback_id === 'meeting_delegation'),
      'delegation form',
    );
    delegationView = { ...(call.args.view as Record<string, unknown>), id: String(call.args.view_id) };
    expect(text(delegationView.blocks)).toContain('Esteban Villalobos');
    expect(text(delegationView.blocks)).toContain('Carolina Quesada Arias');
  });

  it('a person who may not take part is refused on the segment, naming why; nothing is recorded', async () => {
    const res = await w.submit(PEOPLE.memberCR, delegationView, { main: stateValue.multi(['esteban.villalobos@example.org', 'carolina.quesada@example.org']) });
    const errors = (JSON.parse(res.body) as { response_action: string; errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual(['main']);
    expect(errors['main']).toMatch(/^Carolina Quesada Arias: /);
    expect(errors['main']).not.toContain('Esteban');
    expect(await w.engine.db.prisma.meetingInvitation.count()).toBe(0);
  });

  it('an eligible delegation is recorded and each person is invited', async () => {
    const res = await w.submit(PEOPLE.memberCR, delegationView, { main: stateValue.multi(['esteban.villalobos@example.org', 'mariela.campos@example.org']) });
    expect(res.body).toContain('Delegación registrada: 2 personas');
    const rows = await w.engine.db.prisma.meetingInvitation.findMany({ orderBy: { personId: 'asc' } });
    expect(rows.map((r) => [r.personId, r.segment, r.country, r.basis])).toEqual([
      ['esteban.villalobos@example.org', 'main', 'CR', 'grcm_delegate'],
      ['mariela.campos@example.org', 'main', 'CR', 'liaison_officer'],
    ]);
  });

  it('only a Member Country’s focal point registers a delegation', async () => {
    const r = await lastResponse(PEOPLE.memberCR, 'Próximas reuniones');
    const value = findButton(r.body.blocks as unknown[], 'meeting_delegation_open')!.value!;
    const card = { channel: w.slack.dmChannelOf(PEOPLE.staff), ts: '2.000', text: '', blocks: r.body.blocks as unknown[] } as never;
    await w.click(PEOPLE.staff, 'meeting_delegation_open', { message: card, value });
    await w.waitFor(() => w.privateTexts(PEOPLE.staff).find((t) => t.includes('Solo los puntos focales de un País Miembro')), 'focal points only');
  });
});

describe('/crm pendientes', () => {
  it('shows the ST what is due, with who owes it', async () => {
    await w.command(PEOPLE.staff, 'pendientes');
    const r = await lastResponse(PEOPLE.staff, 'Tareas pendientes');
    expect(text(r.body)).toContain('Informe operativo y financiero');
    expect(text(r.body)).toContain('Secretaría Técnica');
  });

  it('answers an observer country that the tasks are not for them', async () => {
    await w.command(PEOPLE.observerJM, 'duties');
    await w.waitFor(() => w.privateTexts(PEOPLE.observerJM).find((t) => t.includes("Member Countries' focal points")), 'no access');
  });
});
