/** `aftercare case history <case-id>`: who did what to a case, from its audit trail in PostgreSQL. */
import { caseHistory, renderCaseHistory } from '../../reports/index.js';
import { withRecords } from './report.js';
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
  return withRecords('case history', async (client, timeZone) => {
    const rows = await caseHistory(client, caseId);
    if (values.json) printJson({ caseId, events: rows });
    else if (rows.length === 0) console.log(`case ${caseId} has no audit trail (no such case, or nothing recorded yet)`);
    else console.log(renderCaseHistory(caseId, rows, timeZone));
    return 0;
  });
}
