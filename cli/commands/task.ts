import { connectClient, parse, printJson, readJson, required, UsageError, type Command } from '../io.js';
import { reportRejection } from './case.js';

const help = `aftercare task <complete|claim|reassign> <case-id> <task-id> ...

  task complete <case-id> <task-id> --outcome O [--data <json|@file>] --actor ID --role ROLE [--request-id R] [--json]
  task claim    <case-id> <task-id> --actor ID --role ROLE [--json]
  task reassign <case-id> <task-id> --to PERSON --actor ID --role ROLE [--reason TEXT] [--json]

<task-id> is the task's id (answer#1) or its step id when the step has one open task.
Repeating a command with the same --request-id returns the first result and changes nothing.`;

export const taskCommand: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    console.log(help);
    return sub ? 0 : 2;
  }
  if (!['complete', 'claim', 'reassign'].includes(sub)) throw new UsageError(`unknown task command \`${sub}\`\n\n${help}`);
  const { values, positionals } = parse(
    rest,
    {
      outcome: { type: 'string' },
      data: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      actor: { type: 'string' },
      role: { type: 'string' },
      'request-id': { type: 'string' },
      json: { type: 'boolean' },
    },
    help,
  );
  const [caseId, taskId] = positionals;
  if (!caseId || !taskId) throw new UsageError(`name the case and the task\n\n${help}`);
  const actor = { id: required(values.actor, '--actor'), role: required(values.role, '--role') };
  const json = Boolean(values.json);
  const client = await connectClient();
  try {
    let result: unknown;
    if (sub === 'complete') {
      const data = values.data ? await readJson(values.data, '--data') : undefined;
      if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw new UsageError('--data must be a JSON object');
      result = await client.completeTask(caseId, taskId, {
        outcome: required(values.outcome, '--outcome'),
        ...(data ? { data: data as Record<string, unknown> } : {}),
        actor,
        ...(values['request-id'] ? { requestId: values['request-id'] } : {}),
      });
      if (!json) console.log(`completed ${(result as { taskId: string }).taskId} of case ${caseId} with outcome ${values.outcome}`);
    } else if (sub === 'claim') {
      result = await client.claimTask(caseId, taskId, actor, values['request-id']);
      if (!json) console.log(`${actor.id} took ${(result as { taskId: string }).taskId} of case ${caseId}`);
    } else {
      result = await client.reassignTask(caseId, taskId, required(values.to, '--to'), actor, {
        ...(values.reason ? { reason: values.reason } : {}),
        ...(values['request-id'] ? { requestId: values['request-id'] } : {}),
      });
      if (!json) console.log(`${(result as { taskId: string }).taskId} of case ${caseId} is now assigned to ${values.to}`);
    }
    if (json) printJson(result);
    return 0;
  } catch (error) {
    return reportRejection(error, json);
  } finally {
    await client.close();
  }
};
