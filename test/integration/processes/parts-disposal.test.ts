/**
 * The shipped parts-disposal process on the dev server and PostgreSQL, driven through the
 * client as the parts group and the after-sales manager would: the periodic check over the
 * seeded ledger (crushed bearings, a water-damaged board, seals past their shelf life, boards of
 * a discontinued series), the application revised and approved, the scrap sale reducing the
 * ledger and recording the proceeds, a rejection, nothing to dispose of, a disposal the ledger
 * refuses escalated to the parts group, and a check over a ledger with nothing flagged.
 */
import { actAs } from '../../helpers/env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestRejectedError } from '../../../client/index.js';
import { openTaskOf } from '../../helpers/cases.js';
import { complete, closed, stepsEntered } from '../../helpers/drive.js';
import { uniqueName } from '../../helpers/env.js';
import { startDevServerCases, type CaseWorker } from '../../helpers/suites.js';

const partsGroup = actAs('zhou.jun', 'parts');
const manager = actAs('wang.fang', 'manager');

/** What the demo data's opening stock (seeds/demo.sql)-take flagged, as the periodic check reports it. */
const seededFindings = [
  { partNo: 'RF-GASKET-320', name: 'Refrigerator door gasket', quantity: 2, reason: 'expired' },
  { partNo: 'TV-MB-42', name: 'TV main board (discontinued 42" series)', quantity: 9, reason: 'obsolete' },
  { partNo: 'WM-80', name: 'Washing machine WM-80 (8 kg, front load)', quantity: 1, reason: 'damaged' },
  { partNo: 'WM-BRG-6204', name: 'Washing machine drum bearing', quantity: 3, reason: 'damaged' },
  { partNo: 'WM-CB-80', name: 'Washing machine control board', quantity: 1, reason: 'damaged' },
  { partNo: 'WM-SEAL-80', name: 'Washing machine door seal', quantity: 4, reason: 'expired' },
];

describe('the parts-disposal process', () => {
  let started: CaseWorker;
  const client = () => started.client;
  const pool = () => started.db.pool;

  beforeAll(async () => {
    started = await startDevServerCases();
  });
  afterAll(() => started?.stop());

  const open = (caseId: string, input: Record<string, unknown> = { period: '2026-11' }) => client().openCase('parts-disposal', input, { caseId });

  async function rows(sql: string, caseId: string) {
    return (await pool().query(sql, [caseId])).rows;
  }
  const approvals = (caseId: string) => rows('SELECT subject, decision, note FROM approvals WHERE case_id = $1 ORDER BY decided_at', caseId);
  const disposals = async (caseId: string) =>
    (await rows('SELECT disposal_id, method, proceeds, currency, lines FROM disposals WHERE case_id = $1', caseId)).map((r) => ({ ...r, proceeds: Number(r.proceeds) }));
  const movements = (caseId: string) => rows('SELECT part_no, kind, quantity, delta, reason, reference FROM stock_movements WHERE case_id = $1 ORDER BY movement_id', caseId);

  /** The whole book, each part's on-hand checked against the sum of its movements. */
  async function ledger() {
    const { rows: book } = await pool().query(
      `SELECT s.part_no, s.on_hand, s.damaged, s.expired, s.obsolete, (SELECT sum(delta)::int FROM stock_movements m WHERE m.part_no = s.part_no) AS movements
       FROM parts_stock s ORDER BY s.part_no`,
    );
    for (const row of book) expect(row.on_hand, `book of ${row.part_no}`).toBe(row.movements);
    return Object.fromEntries(book.map((r) => [r.part_no, { onHand: r.on_hand as number, damaged: r.damaged as number, expired: r.expired as number, obsolete: r.obsolete as number }]));
  }

  it('disposes of a revised, approved application by scrap sale: the ledger is reduced and the proceeds recorded', async () => {
    const caseId = uniqueName('PD');
    const before = await ledger();
    await open(caseId);

    const firstApplication = await openTaskOf(client(), caseId, 'application');
    expect(firstApplication.role).toBe('parts');
    expect((await client().getCase(caseId)).data.found).toEqual({ parts: seededFindings, count: 6 });

    // The manager keeps the discontinued boards for an open repair and sends the application back.
    await complete(client(), caseId, 'application', 'submitted', partsGroup, {
      parts: [
        { partNo: 'TV-MB-42', quantity: 9, reason: 'obsolete' },
        { partNo: 'WM-BRG-6204', quantity: 3, reason: 'damaged' },
      ],
    });
    await complete(client(), caseId, 'manager-review', 'revise', manager, { note: 'Keep the 42" boards: a TV-42F repair is still open' });
    const application = [
      { partNo: 'WM-BRG-6204', quantity: 3, reason: 'damaged' },
      { partNo: 'WM-SEAL-80', quantity: 4, reason: 'expired' },
    ];
    await complete(client(), caseId, 'application', 'submitted', partsGroup, { parts: application, notes: 'bearings crushed in transit; seals past 2026-09-30' });
    await complete(client(), caseId, 'manager-review', 'approved', manager);
    await complete(client(), caseId, 'dispose', 'scrap-sale', partsGroup, { proceeds: 36.5, buyer: 'Jiading Metal Recycling' });

    const view = await closed(client(), caseId);
    expect(view.outcome).toBe('disposed');
    const steps = await stepsEntered(client(), caseId);
    expect(steps.filter((s) => s === 'application')).toHaveLength(2);
    expect(steps.filter((s) => s === 'manager-review')).toHaveLength(2);

    expect(await approvals(caseId)).toEqual([
      { subject: 'disposal', decision: 'rejected', note: 'Keep the 42" boards: a TV-42F repair is still open' },
      { subject: 'disposal', decision: 'approved', note: 'approved' },
    ]);
    const [disposal] = await disposals(caseId);
    expect(await disposals(caseId)).toEqual([{ disposal_id: expect.stringMatching(/^DP-\d{6}$/), method: 'scrap-sale', proceeds: 36.5, currency: 'CNY', lines: application }]);
    expect(await movements(caseId)).toEqual([
      { part_no: 'WM-BRG-6204', kind: 'disposal', quantity: 3, delta: -3, reason: 'damaged', reference: disposal?.disposal_id },
      { part_no: 'WM-SEAL-80', kind: 'disposal', quantity: 4, delta: -4, reason: 'expired', reference: disposal?.disposal_id },
    ]);
    expect(view.data.disposed).toEqual({
      disposalId: disposal?.disposal_id,
      movements: [
        { partNo: 'WM-BRG-6204', quantity: 3, onHandAfter: 37 },
        { partNo: 'WM-SEAL-80', quantity: 4, onHandAfter: 11 },
      ],
    });

    // Only the disposed parts changed; their flags came down with the units.
    const after = await ledger();
    expect(after['WM-BRG-6204']).toEqual({ ...before['WM-BRG-6204'], onHand: 37, damaged: 0 });
    expect(after['WM-SEAL-80']).toEqual({ ...before['WM-SEAL-80'], onHand: 11, expired: 0 });
    expect({ ...after, 'WM-BRG-6204': null, 'WM-SEAL-80': null }).toEqual({ ...before, 'WM-BRG-6204': null, 'WM-SEAL-80': null });

    // One approval clock per review, both decided in time.
    const clock = await rows("SELECT cycle, result FROM sla_events WHERE case_id = $1 AND clock = 'approval' AND event_type = 'stopped' ORDER BY cycle", caseId);
    expect(clock).toEqual([
      { cycle: 1, result: 'met' },
      { cycle: 2, result: 'met' },
    ]);
  });

  it('looks only for the kinds asked for, and disposes of nothing the manager rejects', async () => {
    const caseId = uniqueName('PD');
    const before = await ledger();
    await open(caseId, { period: '2026-12', reasons: ['obsolete'] });
    await openTaskOf(client(), caseId, 'application');
    expect((await client().getCase(caseId)).data.found).toEqual({ parts: seededFindings.filter((p) => p.reason === 'obsolete'), count: 1 });
    await complete(client(), caseId, 'application', 'submitted', partsGroup, { parts: [{ partNo: 'TV-MB-42', quantity: 9, reason: 'obsolete' }] });
    await complete(client(), caseId, 'manager-review', 'rejected', manager, { note: 'Sell them to the TV-42F owners club instead' });

    expect((await closed(client(), caseId)).outcome).toBe('rejected');
    expect(await stepsEntered(client(), caseId)).not.toContain('dispose');
    expect(await approvals(caseId)).toEqual([{ subject: 'disposal', decision: 'rejected', note: 'Sell them to the TV-42F owners club instead' }]);
    expect(await disposals(caseId)).toEqual([]);
    expect(await movements(caseId)).toEqual([]);
    expect(await ledger()).toEqual(before);
  });

  it('ends with nothing to dispose of when the parts group proposes nothing', async () => {
    const caseId = uniqueName('PD');
    await open(caseId, { period: '2027-01' });
    // Submitted with no parts listed: the application comes back rather than reaching the manager.
    await complete(client(), caseId, 'application', 'submitted', partsGroup, { notes: 'forgot the list' });
    expect((await openTaskOf(client(), caseId, 'application')).id).toBe('application#2');
    await complete(client(), caseId, 'application', 'nothing-to-dispose', partsGroup, { notes: 'Everything flagged is waiting for the supplier to take it back' });
    expect((await closed(client(), caseId)).outcome).toBe('nothing-to-dispose');
    expect(await stepsEntered(client(), caseId)).not.toContain('manager-review');
    expect(await approvals(caseId)).toEqual([]);
    expect(await disposals(caseId)).toEqual([]);
  });

  it('refuses an application line the disposal could not take, when it is submitted', async () => {
    const caseId = uniqueName('PD');
    await open(caseId, { period: '2027-02' });
    const task = await openTaskOf(client(), caseId, 'application');
    // A line copied from the check's findings carries the part's name, which the ledger does not take.
    const refusal = client().completeTask(caseId, task.id, { outcome: 'submitted', data: { parts: [seededFindings[0]] }, actor: partsGroup });
    await expect(refusal).rejects.toBeInstanceOf(RequestRejectedError);
    await expect(refusal).rejects.toMatchObject({ code: 'FORM_INVALID', message: expect.stringContaining('parts[0]') });
    expect((await client().getCase(caseId)).tasks[task.id]?.status).toBe('open');
    await client().cancelCase(caseId, 'test over', manager);
  });

  it('escalates a disposal the ledger refuses to the parts group, who retry once a recount flags the units', async () => {
    const caseId = uniqueName('PD');
    const before = await ledger();
    await open(caseId, { period: '2027-03', reasons: ['damaged'] });
    // Four control boards are to go, but the stock-take flagged only one of the six as damaged.
    const application = [{ partNo: 'WM-CB-80', quantity: 4, reason: 'damaged' }];
    await complete(client(), caseId, 'application', 'submitted', partsGroup, { parts: application });
    await complete(client(), caseId, 'manager-review', 'approved', manager, { note: 'Boards from the flooded store room' });
    await complete(client(), caseId, 'dispose', 'recycling', partsGroup, { proceeds: 0 });

    const escalation = await openTaskOf(client(), caseId, 'reduce-ledger');
    expect(escalation).toMatchObject({ role: 'parts', outcomes: ['retry', 'handled-manually'], escalation: { stepId: 'reduce-ledger', activity: 'dispose-parts' } });
    expect(escalation.escalation?.error).toContain('more than can be disposed of: WM-CB-80 (Washing machine control board): 1 flagged damaged of 6 on hand, 4 to dispose of');
    expect(await disposals(caseId)).toEqual([]);
    expect(await movements(caseId)).toEqual([]);
    expect(await ledger()).toEqual(before);

    // The parts group recounts: three more boards are water-damaged. Then the disposal goes through.
    await pool().query("UPDATE parts_stock SET damaged = 4, counted_at = now() WHERE part_no = 'WM-CB-80'");
    await client().completeTask(caseId, escalation.id, { outcome: 'retry', actor: partsGroup });
    const view = await closed(client(), caseId);
    expect(view.outcome).toBe('disposed');
    expect(view.timeline.filter((e) => e.type === 'action-failed')).toHaveLength(1);
    expect(await disposals(caseId)).toEqual([expect.objectContaining({ method: 'recycling', proceeds: 0, lines: application })]);
    expect((await movements(caseId)).map((m) => [m.part_no, m.kind, m.delta])).toEqual([['WM-CB-80', 'disposal', -4]]);
    expect((await ledger())['WM-CB-80']).toMatchObject({ onHand: 2, damaged: 0 });
  });

  it('closes as handled by hand, writing nothing, when a disposal of more than is on hand cannot be retried', async () => {
    const caseId = uniqueName('PD');
    const before = await ledger();
    await open(caseId, { period: '2027-04', reasons: ['expired'] });
    await complete(client(), caseId, 'application', 'submitted', partsGroup, { parts: [{ partNo: 'RF-GASKET-320', quantity: 20, reason: 'expired' }] });
    await complete(client(), caseId, 'manager-review', 'approved', manager);
    await complete(client(), caseId, 'dispose', 'recycling', partsGroup, { proceeds: 0 });

    // A retry cannot help: the ledger refuses again and the parts group gets a second task.
    const first = await openTaskOf(client(), caseId, 'reduce-ledger');
    expect(first.escalation?.error).toContain('RF-GASKET-320 (Refrigerator door gasket): 2 flagged expired of 12 on hand, 20 to dispose of');
    await client().completeTask(caseId, first.id, { outcome: 'retry', actor: partsGroup });
    const second = await openTaskOf(client(), caseId, 'reduce-ledger');
    expect(second.id).toBe('reduce-ledger#2');
    await client().completeTask(caseId, second.id, { outcome: 'handled-manually', actor: partsGroup });

    expect((await closed(client(), caseId)).outcome).toBe('handled-by-hand');
    expect(await stepsEntered(client(), caseId)).not.toContain('disposed');
    expect(await approvals(caseId)).toEqual([{ subject: 'disposal', decision: 'approved', note: 'approved' }]);
    expect(await disposals(caseId)).toEqual([]);
    expect(await movements(caseId)).toEqual([]);
    expect(await ledger()).toEqual(before);
  });
});

describe('the parts-disposal process over a ledger with nothing flagged', () => {
  let started: CaseWorker;

  beforeAll(async () => {
    started = await startDevServerCases();
    // This month's stock-take found every unit good: nothing damaged, expired or obsolete.
    await started.db.pool.query('UPDATE parts_stock SET damaged = 0, expired = 0, obsolete = 0, counted_at = now()');
  });
  afterAll(() => started?.stop());

  it('ends at once with nothing to dispose of, asking nobody', async () => {
    const caseId = uniqueName('PD');
    await started.client.openCase('parts-disposal', { period: '2026-11' }, { caseId });
    const view = await closed(started.client, caseId);
    expect(view.outcome).toBe('nothing-to-dispose');
    expect(view.data.found).toEqual({ parts: [], count: 0 });
    expect(Object.keys(view.tasks)).toEqual([]);
    expect(await stepsEntered(started.client, caseId)).toEqual(['find', 'anything-found', 'nothing-found']);
  });
});
