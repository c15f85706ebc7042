import { ActorRefusedError, CaseInputInvalidError, CaseRetryRefusedError, CaseWaitError, RequestRejectedError, type AftercareClient, type CaseFilter, type CaseProgress, type CaseView, type WaitFor } from '../../client/index.js';
import type { CasePath } from '../../dsl/graph.js';
import { table } from '../../reports/table.js';
import { actingOptions, actingPerson, localTimes, parse, printJson, readJson, required, timeoutMs, UsageError, withClient, type Command } from '../io.js';

const help = `aftercare case <open|status|list|cancel|retry|history|graph> ...

  case open <process> --input <json|@file> [--case-id ID] [--owner AGENT] [--param NAME=VALUE]...
            [--wait | --wait-for STEP] [--timeout 30s] [--json]
            --wait: return once the case reached its first task (its open tasks are printed);
            --wait-for STEP: once a task of STEP is open
  case status <case-id> [--json]
  case list [--process P] [--status open|closed|failed] [--role R] [--customer C] [--step S]
            [--owner O] [--assignee A] [--limit N] [--query Q] [--explain] [--json]
  case cancel <case-id> --reason TEXT [--as PERSON] [--role ROLE] [--request-id R] [--json]
  case retry <case-id> [--reason TEXT] [--request-id ID] [--json]
            run the step a failed case failed at again, once its cause is fixed
  case history <case-id> [--json]
            who did what: the audit trail, with the token and directory version that verified each person
  case graph <case-id> [--json]
            the process as a Mermaid diagram with the case's path: the steps it went through
            (with how many times), the moves it made and where it is now

Times are the company's (AFTERCARE_TIME_ZONE, or the processes' calendar zone) with their
offset; --json keeps them in UTC (ISO 8601).

Connects to TEMPORAL_ADDRESS (default 127.0.0.1:7233, the server \`npm start\` runs).`;

/** A client for commands that read or act on an existing case: no definitions loaded (it carries its own). */
function withCaseClient<T>(work: (client: AftercareClient) => Promise<T>): Promise<T> {
  return withClient(work, { definitions: false });
}

function printCase(view: CaseView, at: (iso: string | undefined) => string | undefined): void {
  const line = (label: string, value: string | undefined) => value && console.log(`${label.padEnd(13)}${value}`);
  const status = view.workflowStatus === 'FAILED' ? 'failed' : view.status;
  console.log(`Case ${view.caseId} · ${view.process} v${view.version} · ${status}${view.outcome ? ` (${view.outcome})` : ''}`);
  line('Summary', view.summary);
  line('Owner', view.owner);
  line('Customer', view.customer);
  line('Priority', view.priority);
  line('Opened', at(view.openedAt));
  line('Closed', at(view.closedAt));
  line('Workflow', `${view.workflowStatus} (run ${view.runId})`);
  if (view.failure) {
    line('Failure', `${view.failure.message}${view.failure.type ? ` [${view.failure.type}]` : ''}`);
    line('Recovery', `fix the cause, then: aftercare case retry ${view.caseId} --reason "<what was fixed>"`);
  }
  const steps = Object.values(view.tokens).filter((t) => !t.done && t.wait?.kind !== 'branches').map((t) => t.stepId);
  if (view.status === 'open') line('Current step', steps.join(', ') || '—');
  const open = Object.values(view.tasks).filter((t) => t.status === 'open');
  if (open.length > 0) {
    console.log('\nOpen tasks');
    for (const task of open) {
      console.log(`  ${task.id.padEnd(22)} ${task.title}  [role ${task.role}${task.assignee ? `, assigned to ${task.assignee}` : ''}${task.dueAt ? `, due ${at(task.dueAt)}` : ''}]`);
      console.log(`  ${''.padEnd(22)} outcomes: ${task.outcomes.join(', ')}`);
    }
  }
  const clocks = Object.values(view.slas ?? {}).filter((c) => c.cycle > 0);
  if (clocks.length > 0) {
    console.log('\nTime limits');
    for (const clock of clocks) {
      const state = clock.status === 'stopped' ? (clock.result ?? 'stopped') : clock.breached ? 'BREACHED' : clock.warned ? 'warning' : clock.status === 'paused' ? `paused (${clock.pauseReason ?? ''})` : 'running';
      const due = clock.deadline && clock.status !== 'stopped' ? `, due ${at(clock.deadline)}` : '';
      console.log(`  ${clock.id.padEnd(22)} ${clock.title}: ${clock.target}, ${state}${due}${clock.cycle > 1 ? ` (cycle ${clock.cycle})` : ''}`);
    }
  }
  if (view.parameters && Object.keys(view.parameters).length > 0) {
    console.log(`\nParameters\n${Object.entries(view.parameters)
      .map(([name, value]) => `  ${name.padEnd(22)} ${JSON.stringify(value)}`)
      .join('\n')}`);
  }
  if (Object.keys(view.data).length > 0) console.log(`\nData\n${JSON.stringify(view.data, null, 2).replace(/^/gm, '  ')}`);
  console.log(`\nTimeline${view.timelineDropped ? ` (${view.timelineDropped} earlier entries in the audit trail)` : ''}`);
  for (const entry of view.timeline.slice(-30)) {
    const bits = [entry.type, entry.clock && `clock ${entry.clock}`, entry.step && `step ${entry.step}`, entry.task && `task ${entry.task}`, entry.outcome && `→ ${entry.outcome}`, entry.actor && `by ${entry.actor}`, entry.detail && `(${entry.detail})`];
    console.log(`  ${at(entry.at)}  ${bits.filter(Boolean).join(' ')}`);
  }
}

/**
 * `--param followUpWithin="5 working days" --param agentAuthority=800`: numbers and true/false
 * become numbers and booleans, anything else stays text; the process checks the types.
 */
function parameterValues(pairs: string[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param takes NAME=VALUE, not \`${pair}\``);
    const text = pair.slice(at + 1);
    parameters[pair.slice(0, at)] = text === 'true' ? true : text === 'false' ? false : text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return parameters;
}

async function open(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { input: { type: 'string' }, 'case-id': { type: 'string' }, owner: { type: 'string' }, param: { type: 'string', multiple: true }, wait: { type: 'boolean' }, 'wait-for': { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
    help,
  );
  const process_ = positionals[0];
  if (!process_) throw new UsageError(`name the process: aftercare case open <process> --input <json>\n\n${help}`);
  const input = await readJson(required(values.input, '--input'), '--input');
  const waitFor = waitOption(values.wait, values['wait-for'], 'task', values.timeout);
  return withClient(async (client) => {
    try {
      const parameters = parameterValues(values.param ?? []);
      const opened = await client.openCase(process_, input, {
        ...(values['case-id'] ? { caseId: values['case-id'] } : {}),
        ...(values.owner ? { owner: values.owner } : {}),
        ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
        ...(waitFor ? { waitFor, timeoutMs: timeoutMs(values.timeout) } : {}),
      });
      if (values.json) printJson(opened);
      else {
        console.log(`${opened.created ? 'Opened' : 'Already open:'} case ${opened.caseId} (${opened.process} v${opened.version}) · ${opened.summary}`);
        if (opened.progress) printProgress(opened.progress, await localTimes());
      }
      return 0;
    } catch (error) {
      if (error instanceof CaseWaitError) return reportWait(error, Boolean(values.json));
      if (error instanceof CaseInputInvalidError) {
        if (values.json) printJson({ error: { code: 'CASE_INPUT_INVALID', message: error.message, issues: error.issues } });
        else {
          console.error(`case ${error.caseId} was not opened: the input does not match process ${error.process}`);
          for (const issue of error.issues) console.error(`  ${issue.path || '/'}  ${issue.message}`);
        }
        return 1;
      }
      throw error;
    }
  });
}

async function status(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, help);
  const caseId = positionals[0];
  if (!caseId) throw new UsageError('name the case: aftercare case status <case-id>');
  return withCaseClient(async (client) => {
    const view = await client.getCase(caseId);
    if (values.json) printJson(view);
    else printCase(view, await localTimes());
    return 0;
  });
}

async function list(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      process: { type: 'string' },
      status: { type: 'string' },
      role: { type: 'string' },
      customer: { type: 'string' },
      step: { type: 'string' },
      owner: { type: 'string' },
      assignee: { type: 'string' },
      query: { type: 'string' },
      limit: { type: 'string' },
      explain: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    help,
  );
  if (values.status && !['open', 'closed', 'failed'].includes(values.status)) throw new UsageError('--status must be open, closed or failed');
  const filter: CaseFilter = {
    ...(values.process ? { process: values.process } : {}),
    ...(values.status ? { status: values.status as 'open' | 'closed' | 'failed' } : {}),
    ...(values.role ? { role: values.role } : {}),
    ...(values.customer ? { customer: values.customer } : {}),
    ...(values.step ? { step: values.step } : {}),
    ...(values.owner ? { owner: values.owner } : {}),
    ...(values.assignee ? { assignee: values.assignee } : {}),
    ...(values.query ? { query: values.query } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
  };
  const { AftercareClient } = await import('../../client/index.js');
  if (values.explain) console.error(`query: ${AftercareClient.queryFor(filter)}`);
  return withCaseClient(async (client) => {
    const cases = await client.listCases(filter);
    if (values.json) {
      printJson(cases);
      return 0;
    }
    if (cases.length === 0) {
      console.log('no cases');
      return 0;
    }
    // Columns as wide as their longest value: a long case id never runs into the process.
    const at = await localTimes();
    const rows = cases.map((c) => [
      c.caseId,
      c.process,
      c.status ?? '',
      c.status === 'open' ? c.currentSteps.join(',') : (c.outcome ?? ''),
      c.waitingOnRoles.join(','),
      c.priority ?? '',
      c.slaState ? `${c.slaState}${c.slaDeadline ? ` ${at(c.slaDeadline)}` : ''}` : '',
      at(c.nextDueAt) ?? '',
    ]);
    console.log(table(['case', 'process', 'status', 'step / outcome', 'waiting on', 'priority', 'SLA (deadline)', 'next task due'], rows));
    return 0;
  });
}

async function cancel(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { reason: { type: 'string' }, ...actingOptions, 'request-id': { type: 'string' }, json: { type: 'boolean' } }, help);
  const caseId = positionals[0];
  if (!caseId) throw new UsageError('name the case: aftercare case cancel <case-id> --reason ...');
  const actor = await actingPerson(values);
  return withClient(async (client) => {
    try {
      const result = await client.cancelCase(caseId, required(values.reason, '--reason'), actor, values['request-id']);
      if (values.json) printJson(result);
      else console.log(`case ${caseId} cancelled`);
      return 0;
    } catch (error) {
      return reportRejection(error, Boolean(values.json));
    }
  }, { acting: true, definitions: false });
}

async function retry(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { reason: { type: 'string' }, 'request-id': { type: 'string' }, json: { type: 'boolean' } }, help);
  const caseId = positionals[0];
  if (!caseId) throw new UsageError('name the case: aftercare case retry <case-id> [--reason TEXT]');
  return withCaseClient(async (client) => {
    try {
      const retried = await client.retryCase(caseId, { ...(values.reason ? { reason: values.reason } : {}), ...(values['request-id'] ? { requestId: values['request-id'] } : {}) });
      if (values.json) printJson(retried);
      else {
        console.log(`case ${caseId} retried${retried.stepId ? ` from step ${retried.stepId}` : ''}: run ${retried.runId} goes on from event ${retried.resetEventId} of failed run ${retried.failedRunId}`);
        console.log(`it had failed with: ${retried.failure}`);
      }
      return 0;
    } catch (error) {
      if (!(error instanceof CaseRetryRefusedError)) throw error;
      if (values.json) printJson({ error: { code: error.code, message: error.reason, caseId: error.caseId } });
      else console.error(`refused (${error.code}): ${error.reason}`);
      return 1;
    }
  });
}

/** Where the case went: its visits, the steps it is at, and each move (a step left, the next one entered). */
export function casePath(view: Pick<CaseView, 'visits' | 'tokens' | 'timeline' | 'status'>): CasePath {
  const taken: [string, string][] = [];
  let left: string | undefined;
  for (const entry of view.timeline) {
    if (entry.type === 'step-left' && entry.step) left = entry.step;
    else if (entry.type === 'step-entered' && entry.step) {
      if (left !== undefined) taken.push([left, entry.step]);
      left = undefined;
    }
  }
  const current = view.status === 'open' ? [...new Set(Object.values(view.tokens).filter((t) => !t.done && t.wait?.kind !== 'branches').map((t) => t.stepId))] : [];
  return { visits: view.visits, current, taken };
}

async function graph(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, help);
  const caseId = positionals[0];
  if (!caseId) throw new UsageError('name the case: aftercare case graph <case-id>');
  return withClient(async (client) => {
    const view = await client.getCase(caseId);
    if (!client.registry.has(view.process)) throw new UsageError(`case ${caseId} runs process ${view.process}, which is not in the definitions folder`);
    const compiled = client.registry.get(view.process, view.version).compiled;
    const path = casePath(view);
    const { renderGraph } = await import('../../dsl/graph.js');
    const diagram = renderGraph(compiled, 'mermaid', path);
    if (values.json) printJson({ caseId, process: view.process, version: view.version, status: view.status, format: 'mermaid', diagram, ...path });
    else process.stdout.write(diagram);
    return 0;
  });
}

/**
 * `--wait` (what the command waits for by default) or `--wait-for STEP`; `--timeout` alone
 * is a mistake worth saying, since it would otherwise do nothing.
 */
export function waitOption(wait: boolean | undefined, step: string | undefined, byDefault: 'task' | 'settled', timeout: string | undefined): WaitFor | undefined {
  if (wait && step) throw new UsageError('give --wait or --wait-for STEP, not both');
  if (step) return { task: step };
  if (wait) return byDefault;
  if (timeout !== undefined) throw new UsageError('--timeout goes with --wait or --wait-for STEP');
  return undefined;
}

/** The tasks open now (how to act on them), or the outcome of a closed case. */
/** `at` writes a due time as people read it (`localTimes()`); the ISO text without it. */
export function printProgress(progress: CaseProgress, at: (iso: string | undefined) => string | undefined = (iso) => iso): void {
  if (progress.status === 'closed') {
    console.log(`case ${progress.caseId} is closed with outcome ${progress.outcome ?? 'unknown'}`);
    return;
  }
  if (progress.openTasks.length === 0) {
    console.log(`no open task; case ${progress.caseId} is at ${progress.currentSteps.join(', ') || 'no step'}${progress.settled ? '' : ' (still working)'}`);
    return;
  }
  console.log('open tasks:');
  for (const task of progress.openTasks) {
    console.log(`  ${task.id.padEnd(22)} ${task.title}  [role ${task.role}${task.assignee ? `, assigned to ${task.assignee}` : ''}${task.dueAt ? `, due ${at(task.dueAt)}` : ''}]  outcomes: ${task.outcomes.join(', ')}`);
  }
}

/** A wait that did not see what it waited for: what happened and where the case is. */
export function reportWait(error: CaseWaitError, json: boolean): number {
  if (json) printJson({ error: { code: error.code, message: error.reason, caseId: error.caseId, progress: error.progress, ...(error.completed ? { completed: error.completed } : {}) } });
  else console.error(`${error.code === 'WAIT_TIMED_OUT' ? 'timed out' : 'not reached'} (${error.code}): case ${error.caseId}: ${error.reason}`);
  return 1;
}

export function reportRejection(error: unknown, json: boolean): number {
  if (error instanceof ActorRefusedError) {
    if (json) printJson({ error: { code: error.code, message: error.reason } });
    else console.error(`refused (${error.code}): ${error.reason}`);
    return 1;
  }
  if (!(error instanceof RequestRejectedError)) throw error;
  if (json) printJson({ error: { code: error.code, message: error.reason, caseId: error.caseId } });
  else console.error(`refused (${error.code}): ${error.reason}`);
  return 1;
}

export const caseCommand: Command = async (argv) => {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'open':
      return open(rest);
    case 'status':
      return status(rest);
    case 'list':
      return list(rest);
    case 'cancel':
      return cancel(rest);
    case 'retry':
      return retry(rest);
    case 'history':
      return (await import('./case-history.js')).caseHistoryCommand(rest);
    case 'graph':
      return graph(rest);
    case undefined:
    case '--help':
    case '-h':
      console.log(help);
      return sub ? 0 : 2;
    default:
      throw new UsageError(`unknown case command \`${sub}\`\n\n${help}`);
  }
};
