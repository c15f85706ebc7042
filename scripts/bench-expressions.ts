/**
 * `npm run bench:expressions`: what evaluating the expressions of ordinary definitions costs
 * through `dsl/expressions.ts` (the case's context, the RE2 rewrite of `matches`, the metered
 * evaluation with its budget), next to the bare `@marcbachmann/cel-js` evaluation of the same
 * expressions on an environment with the same options and no meter, measured in the same run.
 *
 * The expressions are the kinds the shipped definitions use (conditions on outcomes and data,
 * templates quoting the input) and a few heavier ones (a `filter` over a 200-element list, a
 * `matches`). Rounds interleave the two measurements (alternating which goes first) after
 * warm-up rounds; each round times a batch of passes over all expressions. The report gives the
 * median time per expression with its spread (10th–90th percentile) in CPU time of this
 * process, and the ratio. Nothing here asserts a timing: it is a measurement to read.
 *
 *   npm run bench:expressions [-- --rounds 30 --warmup 5 --batch 200]
 */
import { parseArgs } from 'node:util';
import { Environment } from '@marcbachmann/cel-js';
import { evaluateCondition, evaluateTemplate, type ExpressionContext } from '../dsl/expressions.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '30' }, warmup: { type: 'string', default: '5' }, batch: { type: 'string', default: '200' } },
});
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const batch = Number(values.batch);

const items = Array.from({ length: 200 }, (_, i) => ({ sku: `P-${i}`, quantity: i % 7, price: 10 + (i % 13) }));
const context: ExpressionContext = {
  input: { customer: { id: 'M-1', name: 'Wang Li' }, product: { model: 'WD-300' }, amount: 1200, reason: 'The drum is noisy', items },
  data: { warranty: { inWarranty: true }, proposal: { compensation: 300 }, found: { count: 0 }, workOrder: { workOrderId: 'WO-7' } },
  outcomes: { classify: 'major-problem', 'manager-approval': 'approved' },
  actors: { 'manager-approval': 'chen.jie' },
  params: { agentAuthority: 500 },
  case: { id: 'C-1', process: 'complaint', version: 1, owner: 'li.na', openedAt: '2026-03-02T08:00:00.000Z' },
  now: Date.parse('2026-03-02T09:00:00Z'),
};

const conditions = [
  "outcomes['manager-approval'] == 'approved'",
  "outcomes['classify'] == 'major-problem'",
  'has(data.warranty)',
  'data.warranty.inWarranty',
  'data.proposal.compensation > params.agentAuthority',
  'data.found.count == 0',
  'input.amount * 2 > 1000',
  'input.reason.matches("noisy|loud") && input.customer.name.startsWith("Wang")',
];
const templates = ['${input.product.model}', 'Case ${case.id} for ${input.customer.name}', '${input.customer}', "${actors['manager-approval']}", 'WO ${data.workOrder.workOrderId}'];
const heavy = ['input.items.filter(i, i.quantity > 3).size() > 10', 'input.items.exists(i, i.sku == "P-199")'];

/** The same expressions on bare cel-js: the library's own cost, without our context or meter. */
const bare = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true, unlistedVariablesAreDyn: true });
const bareContext = { ...context, case: { ...context.case, openedAt: new Date(context.case.openedAt) }, now: new Date(context.now) };
// `matches` becomes `contains` here (bare cel-js would run JavaScript's RegExp, not RE2), and
// `* 2` becomes `* 2.0` (bare cel-js has no mixed arithmetic).
const bareOrdinary = [...conditions.map((c) => c.replace('matches("noisy|loud")', 'contains("noisy")').replace('* 2 ', '* 2.0 ')), ...templates.flatMap((t) => [...t.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] as string))];

const sets = [
  {
    name: 'ordinary conditions and templates',
    count: bareOrdinary.length,
    ours: () => {
      for (const c of conditions) evaluateCondition(c, context);
      for (const t of templates) evaluateTemplate(t, context);
    },
    bare: () => {
      for (const e of bareOrdinary) bare.evaluate(e, bareContext);
    },
  },
  {
    name: 'loops over a 200-element list',
    count: heavy.length,
    ours: () => {
      for (const c of heavy) evaluateCondition(c, context);
    },
    bare: () => {
      for (const e of heavy) bare.evaluate(e, bareContext);
    },
  },
];

function median(samples: number[], q = 0.5): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] ?? NaN;
}

/** Microseconds of this process's CPU per expression, over a batch of passes. */
function timeBatch(pass: () => void, count: number): number {
  const cpu = process.cpuUsage();
  for (let i = 0; i < batch; i++) pass();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / batch / count;
}

console.log(`Node ${process.version}; ${rounds} rounds (after ${warmup} warm-up rounds) of ${batch} passes each, interleaved; CPU time per expression.\n`);
for (const set of sets) {
  const ours: number[] = [];
  const bareTimes: number[] = [];
  for (let round = 0; round < warmup + rounds; round++) {
    const bareFirst = round % 2 === 0;
    const before = bareFirst ? timeBatch(set.bare, set.count) : undefined;
    const measured = timeBatch(set.ours, set.count);
    const after = bareFirst ? undefined : timeBatch(set.bare, set.count);
    if (round < warmup) continue;
    ours.push(measured);
    bareTimes.push((before ?? after) as number);
  }
  const us = (v: number) => `${v.toFixed(2)} µs`;
  console.log(`${set.name} (${set.count} expressions)`);
  console.log(`  bare cel-js        median ${us(median(bareTimes))} (p10–p90 ${us(median(bareTimes, 0.1))} – ${us(median(bareTimes, 0.9))})`);
  console.log(`  dsl/expressions    median ${us(median(ours))} (p10–p90 ${us(median(ours, 0.1))} – ${us(median(ours, 0.9))})`);
  console.log(`  ratio              ${(median(ours) / median(bareTimes)).toFixed(2)}×\n`);
}
