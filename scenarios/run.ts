/**
 * Runs one scenario: a time-skipping server of its own, the real workflow code and the pinned
 * definition and calendars, the case opened and driven through the client a service would use,
 * and every `expect:` compared with what the case did. Stops at the first step that does not go
 * as written, and says where in the file.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type pg from 'pg';
import { createActivities } from '../activities/index.js';
import { AftercareClient, type CaseView } from '../client/index.js';
import { BusinessCalendar } from '../dsl/calendar/working-time.js';
import { resolveDeadline } from '../dsl/deadlines.js';
import { parseDuration } from '../dsl/durations.js';
import type { DefinitionRegistry } from '../dsl/load/registry.js';
import type { CompiledProcess } from '../model/compiled-process.js';
import { currentSteps, openTasks } from '../workflows/case-state.js';
import type { ActAs } from '../client/acting.js';
import { scenarioActing, scenarioPerson } from './acting.js';
import { check, pathOf, statusOf, type Mismatch } from './expect.js';
import type { Scenario, ScenarioStep } from './model.js';
import { scenarioWorker, startTestServer, type RecordsServer } from './server.js';
import { scenarioActivities, type ActivityCall } from './stubs.js';

/**
 * The actor of every request a scenario makes: the person it names, in the role it says (or the
 * task's). The one place a scenario's person becomes an actor, so that signed actors (issue 10)
 * change only this function (scenarios/acting.ts: a token for the person, an assertion the case checks).
 */
export function scenarioActor(personId: string, role: string): ActAs {
  return scenarioPerson(personId, role);
}

/** What a scenario reached, for `--coverage`. */
export interface Reached {
  steps: string[];
  /** The end outcome, when the case closed. */
  outcomes: string[];
  /** `step: outcome` of every task completed. */
  taskOutcomes: string[];
  /** `clock: rung label` of every rung of an SLA ladder reached. */
  rungs: string[];
}

export interface ScenarioFailure {
  line: number;
  /** What the step did: `complete classify`, `wait 3 working days`, `expect`. */
  step: string;
  /** Why it could not go on (a refused request, no open task, a case that failed). */
  message?: string;
  mismatches: (Mismatch & { line: number })[];
}

export interface ScenarioResult {
  file: string;
  name: string;
  line: number;
  process: string;
  version: number;
  draft?: string;
  passed: boolean;
  failure?: ScenarioFailure;
  reached: Reached;
  ms: number;
}

export interface RunContext {
  bundle: WorkflowBundle;
  testServer: string;
  scratch: string;
  registry: DefinitionRegistry;
  records?: RecordsServer;
}

const WAIT_MS = 120_000;

class StepFailed extends Error {
  constructor(readonly failure: Omit<ScenarioFailure, 'line'> & { pointer: string }) {
    super(failure.message ?? 'expectation failed');
  }
}

function describeStep(step: ScenarioStep): string {
  if (step.complete !== undefined) return `complete ${step.complete}${step.outcome ? ` → ${step.outcome}` : ''}`;
  if (step.wait !== undefined) return `wait ${step.wait}`;
  return 'expect';
}

export async function runScenario(scenario: Scenario, context: RunContext): Promise<ScenarioResult> {
  const started = Date.now();
  const base = `/scenarios/${scenario.index}`;
  const loaded = context.registry.get(scenario.process);
  const definition: CompiledProcess = loaded.compiled;
  const calendar = definition.calendar ? new BusinessCalendar(context.registry.calendar(definition.calendar).compiled) : undefined;
  const local = (instant: number) => (calendar ? calendar.formatLocal(instant) : new Date(instant).toISOString());
  const result: ScenarioResult = {
    file: scenario.file,
    name: scenario.spec.name,
    line: scenario.lineOf(base),
    process: definition.process,
    version: definition.version,
    ...(scenario.draft ? { draft: scenario.draft } : {}),
    passed: false,
    reached: { steps: [], outcomes: [], taskOutcomes: [], rungs: [] },
    ms: 0,
  };
  const rungs = new Set<string>();
  const noteRungs = (view: CaseView) => {
    for (const spec of definition.slas) for (const index of view.slas[spec.id]?.fired ?? []) rungs.add(`${spec.id}: ${spec.escalations[index]?.label ?? index}`);
  };

  const trace = process.env.AFTERCARE_SCENARIO_TRACE ? (what: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(2)} s] ${what}`) : () => {};
  const calls: ActivityCall[] = [];
  const at = scenario.spec.at === undefined ? undefined : Date.parse(scenario.spec.at);
  let env: TestWorkflowEnvironment | undefined;
  let database: Awaited<ReturnType<RecordsServer['database']>> | undefined;
  let running: Promise<void> | undefined;
  let shutdown = () => {};
  let view: CaseView | undefined;
  let reader: AftercareClient | undefined;
  const caseId = `scenario-${scenario.index + 1}`;
  try {
    try {
      env = await startTestServer(context.testServer, context.scratch, at, scenario.spec.at);
    } catch (error) {
      throw new StepFailed({ pointer: `${base}/at`, step: 'start the test server', message: (error as Error).message, mismatches: [] });
    }
    trace('server started');
    database = context.records ? await context.records.database() : undefined;
    const activities = scenarioActivities(scenario.spec.stubs ?? [], calls, database ? createActivities(database.pool) : {});
    const worker = await scenarioWorker(env, context.bundle, activities);
    trace('worker created');
    running = worker.run();
    shutdown = () => worker.shutdown();
    const testEnv = env;
    const client = patientReads(new AftercareClient(env.client, context.registry, { taskQueue: 'scenarios', acting: await scenarioActing(context.registry, () => testEnv.currentTimeMs()) }));
    reader = client;

    if (at !== undefined) {
      const now = await testEnv.currentTimeMs();
      if (at > now) await testEnv.sleep(Math.ceil(at - now));
    }
    try {
      // Opened, then waited for: the test server's Update-with-Start fails now and then on a loaded machine.
      await client.openCase(scenario.process, scenario.spec.input, {
        caseId,
        ...(scenario.spec.owner ? { owner: scenario.spec.owner } : {}),
        ...(scenario.spec.parameters ? { parameters: scenario.spec.parameters } : {}),
      });
      await client.waitFor(caseId, 'settled', { timeoutMs: WAIT_MS });
    } catch (error) {
      throw new StepFailed({ pointer: `${base}/input`, step: 'open the case', message: (error as Error).message, mismatches: [] });
    }
    view = await client.getCase(caseId);
    noteRungs(view);

    const rows = database
      ? async (table: string) => {
          const { rows: found } = await (database as { pool: pg.Pool }).pool.query(`SELECT * FROM "${table}" WHERE case_id = $1`, [caseId]);
          return found as Record<string, unknown>[];
        }
      : undefined;

    trace('opened');
    for (const [i, step] of scenario.spec.steps.entries()) {
      trace(describeStep(step));
      const pointer = `${base}/steps/${i}`;
      const fail = (message: string, mismatches: Mismatch[] = [], at = pointer): never => {
        throw new StepFailed({ pointer: at, step: describeStep(step), message, mismatches: mismatches.map((m) => ({ ...m, line: scenario.lineOf(m.pointer) })) });
      };
      try {
        if (step.complete !== undefined) {
          const subprocess =
            step.in === undefined ? undefined : Object.values((await client.getCase(caseId)).tokens).find((t) => !t.done && t.stepId === step.in && t.wait?.kind === 'subprocess')?.wait;
          if (step.in !== undefined && subprocess?.kind !== 'subprocess') fail(`no case of the subprocess step \`${step.in}\` is running`, [], `${pointer}/in`);
          const target = subprocess?.kind === 'subprocess' ? subprocess.caseId : caseId;
          const current = await client.getCase(target);
          const task = openTasks(current).find((t) => t.stepId === step.complete);
          if (!task) {
            const open = openTasks(current).map((t) => t.stepId);
            fail(
              `no task of \`${step.complete}\` is open; the case is ${statusOf(current)}${open.length ? `, with open tasks of ${open.join(', ')}` : current.outcome ? ` with outcome ${current.outcome}` : ''} (at ${currentSteps(current).join(', ') || 'no step'})`,
              [],
              `${pointer}/complete`,
            );
            return result;
          }
          const person = step.as ?? task.assignee ?? scenario.spec.owner ?? `a-${task.role}`;
          const completion = client.completeTask(target, task.id, {
            outcome: step.outcome ?? '',
            ...(step.data ? { data: step.data } : {}),
            actor: scenarioActor(person, step.role ?? task.role),
            waitFor: 'settled',
            timeoutMs: WAIT_MS,
          });
          const refused = step['expect-refused'];
          try {
            await completion;
            // The parent case goes on when its subprocess closes: wait until it has taken the outcome.
            if (target !== caseId && (await client.getCase(target)).status === 'closed') {
              const deadline = Date.now() + WAIT_MS;
              const waitsOnChild = async () => Object.values((await client.getCase(caseId)).tokens).some((t) => !t.done && t.wait?.kind === 'subprocess' && t.wait.caseId === target);
              while ((await waitsOnChild()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
              await client.waitFor(caseId, 'settled', { timeoutMs: WAIT_MS });
            }
            if (refused !== undefined)
              fail('the completion was accepted', [{ expectation: 'expect-refused', pointer: `${pointer}/expect-refused`, expected: `refused: …${refused}…`, actual: 'accepted' }]);
          } catch (error) {
            if (error instanceof StepFailed) throw error;
            const message = (error as Error).message;
            if (refused === undefined) fail(message);
            else if (!message.includes(refused))
              fail('refused for another reason', [{ expectation: 'expect-refused', pointer: `${pointer}/expect-refused`, expected: `refused: …${refused}…`, actual: message }]);
          }
        } else if (step.wait !== undefined) {
          const now = await testEnv.currentTimeMs();
          const until = /^until\s+(.+)$/i.exec(step.wait.trim());
          let target: number;
          if (until) target = Date.parse(until[1] ?? '');
          else {
            const duration = parseDuration(step.wait);
            if (!duration.ok) return fail(duration.message);
            target = resolveDeadline(duration.value, now, () => undefined, calendar);
          }
          if (target > now) await testEnv.sleep(Math.ceil(target - now));
          const waited = await client.getCase(caseId);
          if (waited.status === 'open' && waited.workflowStatus === 'RUNNING') await client.waitFor(caseId, 'settled', { timeoutMs: WAIT_MS });
        }
      } catch (error) {
        if (error instanceof StepFailed) throw error;
        fail((error as Error).message);
      }
      view = await client.getCase(caseId);
      noteRungs(view);
      if (step.expect) {
        const mismatches = await check(step.expect, { view, calls, local, ...(rows ? { rows } : {}) }, `${pointer}/expect`);
        if (mismatches.length > 0) fail(`${mismatches.length} expectation${mismatches.length === 1 ? '' : 's'} did not hold`, mismatches, `${pointer}/expect`);
      }
    }
    result.passed = true;
  } catch (thrown) {
    const error = thrown instanceof StepFailed ? thrown : new StepFailed({ pointer: base, step: 'run the scenario', message: (thrown as Error).message, mismatches: [] });
    const { pointer, ...failure } = error.failure;
    result.failure = { line: scenario.lineOf(pointer), ...failure };
  } finally {
    // A scenario that passed read the case after its last step; one that stopped early is read
    // again for what it reached (a closed case's read replays its whole history: only when needed).
    if (!result.passed) view = (await reader?.getCase(caseId).catch(() => undefined)) ?? view;
    if (view) {
      noteRungs(view);
      result.reached = {
        steps: [...new Set(pathOf(view))],
        outcomes: view.status === 'closed' && view.outcome ? [view.outcome] : [],
        taskOutcomes: [...new Set(Object.values(view.tasks).flatMap((t) => (t.status === 'completed' && t.outcome ? [`${t.stepId}: ${t.outcome}`] : [])))],
        rungs: [...rungs],
      };
    }
    trace('done');
    shutdown();
    await running?.catch(() => undefined);
    trace('worker stopped');
    await env?.teardown().catch(() => undefined);
    trace('server stopped');
    await database?.close();
    result.ms = Date.now() - started;
  }
  return result;
}

/**
 * The client with `getCase` asked again when the case does not answer in time: the client gives
 * a query 5 s, which a loaded machine running several test servers sometimes exceeds, and the
 * test server answers a query its worker took too long over with "Failed to query Workflow".
 */
function patientReads(client: AftercareClient): AftercareClient {
  const getCase = client.getCase.bind(client);
  client.getCase = async (id: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await getCase(id);
      } catch (error) {
        if (attempt >= 5 || !/did not answer within|Failed to query Workflow/.test((error as Error).message)) throw error;
      }
    }
  };
  return client;
}
