/**
 * Reading scenario files: YAML with positions (dsl/load/yaml-source.ts), the JSON Schema
 * (schema/scenario.schema.json) with ajv, then the names a scenario uses checked against the
 * definition it runs. Every problem comes back located at a line and column, in the shape and
 * words of the definitions' problems, so `aftercare test` prints them like `aftercare validate`.
 */
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import scenarioSchema from '../schema/scenario.schema.json' with { type: 'json' };
import { isObject } from '../dsl/document.js';
import { didYouMean, pointer, segmentsOf } from '../dsl/names.js';
import type { Problem, ProblemCode, UnlocatedProblem } from '../dsl/problems.js';
import { valueAt } from '../dsl/load/schema-check.js';
import { findYamlFiles, readYamlFile } from '../dsl/load/yaml-files.js';
import { readYaml, type YamlSource } from '../dsl/load/yaml-source.js';
import { keywordWords } from '../model/schema-words.js';
import type { CompiledProcess } from '../model/compiled-process.js';
import { activityNames } from '../model/activity-catalog/index.js';
import { parseDuration } from '../dsl/durations.js';
import type { Scenario, ScenarioFileSpec } from './model.js';

/** Scenario files: `<name>.test.yaml` (or `.test.yml`) under the paths given. */
export async function findScenarioFiles(paths: readonly string[]): Promise<string[]> {
  const files = await findYamlFiles(paths);
  return files.filter((file) => /\.test\.ya?ml$/i.test(file) || paths.includes(file));
}

export interface LoadedScenarioFile {
  file: string;
  source?: YamlSource;
  spec?: ScenarioFileSpec;
  problems: Problem[];
}

let validator: ValidateFunction | undefined;

/** "`scenarios[2].steps[4].complete`": a pointer in the words of the file. */
export function describeScenarioPath(path: string): string {
  const field = segmentsOf(path)
    .map((s) => (/^\d+$/.test(s) ? `[${Number(s) + 1}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
  return field ? `\`${field}\`` : 'the file';
}

function translate(error: ErrorObject, data: unknown): UnlocatedProblem | undefined {
  const at = error.instancePath;
  const where = describeScenarioPath(at);
  const value = valueAt(data, at);
  // An event is a name or a mapping: the `anyOf` error below says both at once.
  if (error.schemaPath.includes('/anyOf/')) return undefined;
  switch (error.keyword) {
    case 'required':
      return { path: at, at: 'key', code: 'SCHEMA_REQUIRED', message: `${where} is missing \`${String(error.params.missingProperty)}\`` };
    case 'dependentRequired':
      return {
        path: `${at}${pointer(String(error.params.property))}`,
        at: 'key',
        code: 'SCHEMA_REQUIRED',
        message: `${where}: \`${String(error.params.property)}\` goes with \`${String(error.params.missingProperty)}\`: say which step's task is completed`,
      };
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      return { path: `${at}${pointer(key)}`, at: 'key', code: 'SCHEMA_UNKNOWN_KEY', message: `${where} has an unknown key \`${key}\`${didYouMean(key, allowed)}` };
    }
    case 'type':
      return { path: at, code: 'SCHEMA_TYPE', message: `${where} ${keywordWords({ keyword: 'type', params: error.params, value }, { yaml: true })}` };
    case 'enum':
      return { path: at, code: 'SCHEMA_ENUM', message: `${where} ${keywordWords({ keyword: 'enum', params: error.params, value }) ?? 'is not one of the allowed words'}` };
    case 'anyOf':
      return { path: at, code: 'SCHEMA_INVALID', message: `${where} is an event name (\`started\`, \`warning\`, \`breached\`...) or a mapping with \`type:\` and \`at:\`` };
    case 'not':
      return { path: at, code: 'SCHEMA_INVALID', message: `${where} gives both \`result:\` and \`fail:\`: a stub either returns or refuses` };
    case 'pattern':
      return { path: at, code: 'SCHEMA_NAME', message: `${where}: \`${String(value)}\` is not a kebab-case name` };
    case 'minProperties':
      return { path: at, code: 'SCHEMA_RANGE', message: `${where} is empty: say what the step does (\`complete:\`, \`wait:\` or \`expect:\`)` };
    case 'minItems':
    case 'minLength':
    case 'minimum':
      return { path: at, code: 'SCHEMA_RANGE', message: `${where} ${keywordWords({ keyword: error.keyword, params: error.params, value }) ?? error.message ?? 'is out of range'}` };
    default:
      return { path: at, code: 'SCHEMA_INVALID', message: `${where} ${error.message ?? 'is not valid'}` };
  }
}

/** Validates parsed scenario data against the schema; every problem, translated. */
export function checkScenarioSchema(data: unknown): UnlocatedProblem[] {
  validator ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true }).compile(scenarioSchema);
  if (validator(data)) return [];
  const seen = new Set<string>();
  const problems: UnlocatedProblem[] = [];
  for (const error of validator.errors ?? []) {
    const problem = translate(error, data);
    if (!problem || seen.has(`${problem.code}|${problem.path}`)) continue;
    seen.add(`${problem.code}|${problem.path}`);
    problems.push(problem);
  }
  return problems;
}

function located(file: string, source: YamlSource, problems: readonly UnlocatedProblem[]): Problem[] {
  return problems.map((p) => ({ file, ...source.locate(p.path, p.at ?? 'value'), path: p.path, code: p.code, message: p.message }));
}

/** Reads one scenario file: YAML, then the schema. Never throws for the author's mistakes. */
export async function readScenarioFile(file: string): Promise<LoadedScenarioFile> {
  const read = await readYamlFile(file, 'a scenario file');
  if ('problem' in read) return { file, problems: [read.problem] };
  const source = readYaml(read.text);
  const problems: Problem[] = source.syntaxProblems.map((p) => ({ file, line: p.line, column: p.column, path: p.path, code: p.code, message: p.message }));
  if (problems.length === 0 && !isObject(source.data)) {
    problems.push({ file, line: 1, column: 1, path: '', code: 'YAML_NOT_A_MAPPING', message: 'a scenario file is a mapping starting with `process:` and `scenarios:`' });
  }
  if (problems.length > 0) return { file, source, problems };
  problems.push(...located(file, source, checkScenarioSchema(source.data)));
  return problems.length > 0 ? { file, source, problems } : { file, source, spec: source.data as ScenarioFileSpec, problems };
}

/** The scenarios of a file without problems, each knowing its lines and the draft it runs. */
export function scenariosOf(loaded: LoadedScenarioFile): Scenario[] {
  const { spec, source, file } = loaded;
  if (!spec || !source) return [];
  const draftPath = (relative: string | undefined) => (relative === undefined ? undefined : path.resolve(path.dirname(file), relative));
  return spec.scenarios.map((scenario, index) => {
    const draft = draftPath(scenario.definition ?? spec.definition);
    return {
      file,
      index,
      spec: scenario,
      process: spec.process,
      ...(draft ? { draft } : {}),
      lineOf: (at: string) => source.locate(at, 'key').line,
    };
  });
}

const problem = (path: string, code: ProblemCode, message: string, at: 'key' | 'value' = 'value'): UnlocatedProblem => ({ path, code, message, at });

/**
 * The names a scenario uses, checked against the definition it runs: the steps it completes and
 * expects, the outcomes it chooses, the activities it stubs, the SLA clocks it expects, the
 * durations and instants it writes. Pure.
 */
export function checkScenarioNames(scenario: Scenario, process: CompiledProcess): UnlocatedProblem[] {
  const found: UnlocatedProblem[] = [];
  const base = `/scenarios/${scenario.index}`;
  const steps = Object.keys(process.steps);
  const slas = process.slas.map((s) => s.id);
  const knownStep = (at: string, step: string, also: readonly string[] = []) => {
    if (!process.steps[step] && !also.includes(step)) found.push(problem(at, 'SCENARIO_UNKNOWN_NAME', `\`${step}\` is not a step of ${process.process} v${process.version}${didYouMean(step, steps)}`));
  };
  const instant = (at: string, text: string | undefined) => {
    if (text !== undefined && Number.isNaN(Date.parse(text))) found.push(problem(at, 'SCENARIO_INVALID', `\`${text}\` is not an instant: write it with its offset, e.g. \`2026-09-30T10:00+08:00\``));
  };
  const sideTaskSteps = slas.map((id) => `sla:${id}`);
  instant(`${base}/at`, scenario.spec.at);
  for (const [i, stub] of (scenario.spec.stubs ?? []).entries()) {
    const at = `${base}/stubs/${i}`;
    if (!activityNames.has(stub.activity)) found.push(problem(`${at}/activity`, 'SCENARIO_UNKNOWN_NAME', `\`${stub.activity}\` is not an activity${didYouMean(stub.activity, activityNames)}`));
    if (stub.step !== undefined) knownStep(`${at}/step`, stub.step);
  }
  for (const [i, step] of scenario.spec.steps.entries()) {
    const at = `${base}/steps/${i}`;
    if (step.complete !== undefined && step.in !== undefined) {
      // A task of a subprocess's case: its names are the child definition's, checked when it runs.
      const parent = process.steps[step.in];
      if (parent?.kind !== 'subprocess')
        found.push(
          problem(
            `${at}/in`,
            'SCENARIO_UNKNOWN_NAME',
            `\`${step.in}\` is not a subprocess step of ${process.process}${didYouMean(
              step.in,
              steps.filter((id) => process.steps[id]?.kind === 'subprocess'),
            )}`,
          ),
        );
      if (step.outcome === undefined) found.push(problem(at, 'SCHEMA_REQUIRED', `${describeScenarioPath(at)} completes \`${step.complete}\` without an \`outcome:\``, 'key'));
    } else if (step.complete !== undefined) {
      knownStep(`${at}/complete`, step.complete, sideTaskSteps);
      const compiled = process.steps[step.complete];
      const offered = compiled?.kind === 'task' ? compiled.outcomes : compiled?.kind === 'action' ? undefined : undefined;
      if (step.outcome === undefined) found.push(problem(at, 'SCHEMA_REQUIRED', `${describeScenarioPath(at)} completes \`${step.complete}\` without an \`outcome:\``, 'key'));
      else if (offered && !offered.includes(step.outcome)) {
        found.push(
          problem(
            `${at}/outcome`,
            'SCENARIO_UNKNOWN_NAME',
            `\`${step.outcome}\` is not an outcome of \`${step.complete}\` (it offers ${offered.map((o) => `\`${o}\``).join(', ')})${didYouMean(step.outcome, offered)}`,
          ),
        );
      }
      if (step.wait !== undefined || step.expect !== undefined)
        found.push(problem(at, 'SCHEMA_INVALID', `${describeScenarioPath(at)} does one thing: put \`wait:\` and \`expect:\` in steps of their own`, 'key'));
    } else if (step.wait !== undefined) {
      if (step.expect !== undefined) found.push(problem(at, 'SCHEMA_INVALID', `${describeScenarioPath(at)} does one thing: put \`expect:\` in a step of its own`, 'key'));
      const until = /^until\s+(.+)$/i.exec(step.wait.trim());
      if (until) instant(`${at}/wait`, until[1]);
      else {
        const duration = parseDuration(step.wait);
        if (!duration.ok || duration.value.kind === 'expression')
          found.push(problem(`${at}/wait`, 'SCENARIO_INVALID', `\`${step.wait}\` is neither a duration nor \`until <instant>\`: ${duration.ok ? 'write a duration' : duration.message}`));
        else if (duration.value.kind !== 'elapsed' && !process.calendar)
          found.push(problem(`${at}/wait`, 'SCENARIO_INVALID', `\`${step.wait}\` counts working time, and ${process.process} names no \`calendar:\``));
      }
    }
    const expect = step.expect;
    if (!expect) continue;
    const e = `${at}/expect`;
    for (const key of ['current', 'path', 'passes', 'avoids'] as const) for (const [j, id] of (expect[key] ?? []).entries()) knownStep(`${e}/${key}/${j}`, id);
    for (const [j, task] of (expect.tasks ?? []).entries()) {
      knownStep(`${e}/tasks/${j}/step`, task.step, sideTaskSteps);
      instant(`${e}/tasks/${j}/due`, task.due);
    }
    if (expect.outcome !== undefined && !process.outcomes.includes(expect.outcome)) {
      found.push(problem(`${e}/outcome`, 'SCENARIO_UNKNOWN_NAME', `\`${expect.outcome}\` is not an outcome of ${process.process}${didYouMean(expect.outcome, process.outcomes)}`));
    }
    for (const [clock, spec] of Object.entries(expect.sla ?? {})) {
      if (!slas.includes(clock)) found.push(problem(`${e}/sla${pointer(clock)}`, 'SCENARIO_UNKNOWN_NAME', `\`${clock}\` is not an SLA clock of ${process.process}${didYouMean(clock, slas)}`, 'key'));
      instant(`${e}/sla${pointer(clock)}/deadline`, spec.deadline);
      for (const [j, event] of (spec.events ?? []).entries()) if (typeof event === 'object') instant(`${e}/sla${pointer(clock)}/events/${j}/at`, event.at);
    }
    for (const [j, escalation] of (expect.escalations ?? []).entries()) {
      if (escalation.clock !== undefined && !slas.includes(escalation.clock))
        found.push(problem(`${e}/escalations/${j}/clock`, 'SCENARIO_UNKNOWN_NAME', `\`${escalation.clock}\` is not an SLA clock of ${process.process}${didYouMean(escalation.clock, slas)}`));
      if (escalation.step !== undefined) knownStep(`${e}/escalations/${j}/step`, escalation.step);
    }
  }
  return found;
}

/** `checkScenarioNames`, located in the scenario's file. */
export function locateScenarioProblems(loaded: LoadedScenarioFile, problems: readonly UnlocatedProblem[]): Problem[] {
  return loaded.source ? located(loaded.file, loaded.source, problems) : [];
}
