import { CaseWaitError, type AftercareClient, type TaskCompleted } from '../../client/index.js';
import { actingOptions, actingPerson, localTimes, parse, printJson, readJson, required, timeoutMs, UsageError, withClient, type Command } from '../io.js';
import { printProgress, reportRejection, reportWait, waitOption } from './case.js';

const help = `aftercare task <complete|claim|reassign|wait> <case-id> <task-id> ...

  task complete <case-id> <task-id> --outcome O [--data <json|@file>] [--as PERSON] [--role ROLE] [--request-id R]
                [--wait | --wait-for STEP] [--timeout 30s] [--json]
  task claim    <case-id> <task-id> [--as PERSON] [--role ROLE] [--request-id R] [--json]
  task reassign <case-id> <task-id> --to PERSON [--as PERSON] [--role ROLE] [--reason TEXT] [--request-id R] [--json]
  task wait     <case-id> <step> [--timeout 30s] [--json]
                return once a task of <step> is open (exit 1 if the time runs out or the case closes first)

<task-id> is the task's id (answer#1) or its step id when the step has one open task.
After a completion the tasks now open are printed, once the case has moved on (an action
still running after 30 s is shown as such); --wait makes that a condition (exit 1 when the
time runs out), --wait-for STEP waits for a task of STEP.
Repeating a command with the same --request-id returns the first result and changes nothing.

Who acts: the person whose token AFTERCARE_TOKEN holds (from your identity provider), or on the
dev setup --as PERSON, a person of the staff directory (\`npx aftercare staff list\`); --actor
is the same as --as. --role picks one of the roles the directory gives them (by default the
case takes the one that may act on the task); a role they do not hold is refused.`;

export const taskCommand: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    console.log(help);
    return sub ? 0 : 2;
  }
  if (!['complete', 'claim', 'reassign', 'wait'].includes(sub)) throw new UsageError(`unknown task command \`${sub}\`\n\n${help}`);
  const { values, positionals } = parse(
    rest,
    {
      outcome: { type: 'string' },
      data: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      ...actingOptions,
      'request-id': { type: 'string' },
      wait: { type: 'boolean' },
      'wait-for': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
    },
    help,
  );
  const [caseId, taskId] = positionals;
  if (!caseId || !taskId) throw new UsageError(sub === 'wait' ? `name the case and the step: aftercare task wait <case-id> <step>\n\n${help}` : `name the case and the task\n\n${help}`);
  const json = Boolean(values.json);
  if (sub === 'wait') {
    const timeout = timeoutMs(values.timeout);
    return answering(json, false, async (client) => {
      const task = await client.waitForTask(caseId, taskId, { timeoutMs: timeout });
      if (json) printJson(task);
      else {
        const at = await localTimes();
        console.log(`${task.id} of case ${caseId} is open: ${task.title}  [role ${task.role}${task.assignee ? `, assigned to ${task.assignee}` : ''}${task.dueAt ? `, due ${at(task.dueAt)}` : ''}]  outcomes: ${task.outcomes.join(', ')}`);
      }
      return 0;
    });
  }
  const actor = await actingPerson(values);
  const waitFor = sub === 'complete' ? waitOption(values.wait, values['wait-for'], 'settled', values.timeout) : undefined;
  if (sub !== 'complete' && (values.wait || values['wait-for'] || values.timeout)) throw new UsageError(`--wait, --wait-for and --timeout go with task complete\n\n${help}`);
  return answering(json, true, async (client) => {
    let result: unknown;
    if (sub === 'complete') {
      const data = values.data ? await readJson(values.data, '--data') : undefined;
      if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw new UsageError('--data must be a JSON object');
      const completed: TaskCompleted = await client.completeTask(caseId, taskId, {
        outcome: required(values.outcome, '--outcome'),
        ...(data ? { data: data as Record<string, unknown> } : {}),
        actor,
        ...(values['request-id'] ? { requestId: values['request-id'] } : {}),
        ...(waitFor ? { waitFor, timeoutMs: timeoutMs(values.timeout) } : {}),
      });
      result = completed;
      if (!json) {
        console.log(`completed ${completed.taskId} of case ${caseId} with outcome ${values.outcome}`);
        if (completed.progress) printProgress(completed.progress, await localTimes());
      }
    } else if (sub === 'claim') {
      result = await client.claimTask(caseId, taskId, actor, values['request-id']);
      if (!json) console.log(`${(result as { assignee: string }).assignee} took ${(result as { taskId: string }).taskId} of case ${caseId}`);
    } else {
      result = await client.reassignTask(caseId, taskId, required(values.to, '--to'), actor, {
        ...(values.reason ? { reason: values.reason } : {}),
        ...(values['request-id'] ? { requestId: values['request-id'] } : {}),
      });
      if (!json) console.log(`${(result as { taskId: string }).taskId} of case ${caseId} is now assigned to ${values.to}`);
    }
    if (json) printJson(result);
    return 0;
  });
};

/** Runs `work` with a connected client; a refusal or a wait that did not end is printed with its code (exit 1). */
async function answering(json: boolean, acting: boolean, work: (client: AftercareClient) => Promise<number>): Promise<number> {
  try {
    return await withClient(work, { acting });
  } catch (error) {
    if (error instanceof CaseWaitError) return reportWait(error, json);
    return reportRejection(error, json);
  }
}
