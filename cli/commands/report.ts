import type pg from 'pg';
import { connectForReports, currentMonth, isDate, isMonth, monthlyReport, renderMonthly, renderSla, ReportDatabaseError, slaReport } from '../../reports/index.js';
import { readConfig } from '../../worker/config.js';
import { companyTimeZone, TimeZoneError } from '../../worker/time-zone.js';
import { parse, printJson, UsageError, type Command } from '../io.js';

const help = `aftercare report monthly [--month YYYY-MM] [--json]
aftercare report sla [--process P] [--since YYYY-MM-DD] [--json]

monthly  the month's figures: complaints by category and outcome, valid-complaint rate,
         repairs and re-repair rate by product model, refunds, parts movements (opening
         balances apart), disposals, follow-up satisfaction (default: the current month)
sla      per process and SLA clock: cycles met and breached, met % = met ÷ (met + breached)
         × 100 over cycles stopped with a result; cycles of cancelled or withdrawn cases
         apart, not in met %; running cycles and those already breached
         (--since: cycles started on or after that date)

Months and dates are the company's: AFTERCARE_TIME_ZONE, or the processes' calendar zone.
Reads DATABASE_URL, or the embedded PostgreSQL that \`npm start\` runs.
  --json   print the figures as JSON (instants in UTC)`;

export const reportCommand: Command = async (argv) => {
  const { values, positionals } = parse(argv, { month: { type: 'string' }, process: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' } }, help);
  const [kind, ...extra] = positionals;
  if (kind !== 'monthly' && kind !== 'sla') throw new UsageError(`${kind ? `unknown report \`${kind}\`` : 'which report?'}: monthly or sla\n\n${help}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument \`${extra[0]}\`\n\n${help}`);
  if (kind === 'monthly' && (values.process !== undefined || values.since !== undefined)) throw new UsageError('--process and --since belong to `report sla`; the monthly report takes --month');
  if (kind === 'sla' && values.month !== undefined) throw new UsageError('--month belongs to `report monthly`; the SLA report takes --since YYYY-MM-DD');
  if (values.month !== undefined && !isMonth(values.month)) throw new UsageError(`--month ${values.month} is not a month: give YYYY-MM, e.g. 2026-03`);
  if (values.since !== undefined && !isDate(values.since)) throw new UsageError(`--since ${values.since} is not a date: give YYYY-MM-DD, e.g. 2026-03-01`);
  if (values.process === '') throw new UsageError('--process needs a process name');

  return withRecords('report', async (client, timeZone) => {
    if (kind === 'monthly') {
      const month = values.month ?? (await currentMonth(client, timeZone));
      const report = await monthlyReport(client, month, { timeZone });
      if (values.json) printJson(report);
      else console.log(renderMonthly(report));
    } else {
      const report = await slaReport(client, { timeZone, ...(values.process ? { process: values.process } : {}), ...(values.since ? { since: values.since } : {}) });
      if (values.json) printJson(report);
      else console.log(renderSla(report));
    }
    return 0;
  });
};

/**
 * Runs `work` on the records database (DATABASE_URL, or the embedded PostgreSQL) with the zone
 * people read times in; a database that is not there or a bad zone is one sentence, exit 1.
 */
export async function withRecords(command: string, work: (client: pg.Client, timeZone: string) => Promise<number>): Promise<number> {
  const config = readConfig();
  let client: pg.Client;
  let timeZone: string;
  try {
    timeZone = await companyTimeZone(config);
    client = await connectForReports(config);
  } catch (error) {
    if (error instanceof ReportDatabaseError || error instanceof TimeZoneError) {
      console.error(`aftercare ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    return await work(client, timeZone);
  } finally {
    await client.end().catch(() => undefined);
  }
}
