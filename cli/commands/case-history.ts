/** `aftercare case history <case-id>`: who did what to a case, from its audit trail in PostgreSQL. */
import { caseHistory, connectForReports, renderCaseHistory, ReportDatabaseError } from '../../reports/index.js';
import { readConfig } from '../../worker/config.js';
import { companyTimeZone, TimeZoneError } from '../../worker/time-zone.js';
import { parse, printJson, UsageError } from '../io.js';

const help = `aftercare case history <case-id> [--json]

The case's audit trail: each task completed, claimed or handed on, the opening, cancelling and
closing, with who did it and the token and staff-directory version that verified them. Times in
the company's zone (UTC in --json). Reads DATABASE_URL, or the embedded PostgreSQL of \`npm start\`.`;

export async function caseHistoryCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, help);
  const [caseId, ...extra] = positionals;
  if (!caseId) throw new UsageError(`name the case: aftercare case history <case-id>\n\n${help}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument \`${extra[0]}\`\n\n${help}`);
  const config = readConfig();
  let client;
  let timeZone;
  try {
    timeZone = await companyTimeZone(config);
    client = await connectForReports(config);
  } catch (error) {
    if (error instanceof ReportDatabaseError || error instanceof TimeZoneError) {
      console.error(`aftercare case history: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    const rows = await caseHistory(client, caseId);
    if (values.json) printJson({ caseId, events: rows });
    else if (rows.length === 0) console.log(`case ${caseId} has no audit trail (no such case, or nothing recorded yet)`);
    else console.log(renderCaseHistory(caseId, rows, timeZone));
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}
