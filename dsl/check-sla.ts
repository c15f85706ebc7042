/**
 * Meaning checks of SLA clocks: steps and outcomes they react to exist, targets and offsets
 * can be read, business-time targets have a calendar, each escalation rung says exactly when
 * it applies, and names it uses (roles, subprocesses) exist. Pure, like check.ts.
 */
import { parseDuration } from './durations.js';
import { isTemplate, type ExpressionChecker } from './expressions.js';
import { isObject, walkSteps, type Json } from './document.js';
import type { UnlocatedProblem } from './problems.js';
import { didYouMean, listOf, pointer } from './names.js';

export interface SlaCheckContext {
  processes?: ReadonlyMap<string, unknown>;
  /** Calendar names that exist; omit to skip the check. */
  calendars?: ReadonlySet<string>;
  checker?: ExpressionChecker;
}

/** The keys of an escalation rung (`slaEscalation` in the schema). */
const rungKeys = ['at', 'before', 'after', 'notify', 'message', 'within-working-hours', 'raise-priority', 'reassign-to', 'task', 'subprocess', 'with'];

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

export function checkSlas(doc: Json, context: SlaCheckContext = {}): UnlocatedProblem[] {
  if (!isObject(doc.slas)) return [];
  const problems: UnlocatedProblem[] = [];
  const steps = new Map([...walkSteps(doc)].map((e) => [e.id, e.step]));
  const stepIds = [...steps.keys()];
  const roles = isObject(doc.roles) ? Object.keys(doc.roles) : [];
  const processCalendar = typeof doc.calendar === 'string' ? doc.calendar : undefined;

  for (const [id, sla] of Object.entries(doc.slas)) {
    if (!isObject(sla)) continue;
    const at = (...segments: (string | number)[]) => pointer('slas', id, ...segments);
    const calendar = typeof sla.calendar === 'string' ? sla.calendar : processCalendar;
    const where = `SLA \`${id}\``;
    if (typeof sla.calendar === 'string' && context.calendars && !context.calendars.has(sla.calendar)) {
      problems.push({
        path: at('calendar'),
        code: 'CALENDAR_UNKNOWN',
        message: `${where}: calendar \`${sla.calendar}\` is not defined; known calendars: ${listOf([...context.calendars].sort(), 'and') || 'none'}${didYouMean(sla.calendar, context.calendars)}`,
      });
    }

    const checkDuration = (value: unknown, path: string, what: string, allowWorkingDays = true) => {
      if (typeof value !== 'string') return;
      const parsed = parseDuration(value);
      if (!parsed.ok) {
        problems.push({ path, code: 'DURATION_INVALID', message: `${where}: ${what} ${parsed.message}` });
        return;
      }
      const kind = parsed.value.kind;
      if ((kind === 'business-hours' || (kind === 'working-days' && allowWorkingDays)) && !calendar) {
        problems.push({ path, code: 'SLA_INVALID', message: `${where}: ${what} \`${value}\` counts business time, which needs a calendar: add \`calendar:\` to the process or the SLA` });
      }
      if (kind === 'working-days' && !allowWorkingDays) {
        problems.push({ path, code: 'SLA_INVALID', message: `${where}: ${what} \`${value}\` cannot be in working days; write hours (\`4h\`, \`8 business hours\`)` });
      }
      if (kind === 'expression' && context.checker) {
        for (const issue of context.checker.checkTemplate(value)) problems.push({ path, code: issue.code, message: issue.message, offset: issue.offset });
      }
    };
    const template = (value: unknown, path: string) => {
      if (typeof value !== 'string' || !isTemplate(value) || !context.checker) return;
      for (const issue of context.checker.checkTemplate(value)) problems.push({ path, code: issue.code, message: issue.message, offset: issue.offset });
    };

    // Target.
    if (typeof sla.target === 'string') checkDuration(sla.target, at('target'), 'the target');
    else if (isObject(sla.target)) {
      template(sla.target.by, at('target', 'by'));
      for (const [value, text] of Object.entries(sla.target)) if (value !== 'by') checkDuration(text, at('target', value), `the target for \`${value}\``);
    }

    // Triggers.
    const trigger = (value: unknown, path: string, role: string) => {
      if (value === 'case-opened' || !isObject(value)) return;
      const enter = value.enter;
      const leave = value.leave;
      if ((enter === undefined) === (leave === undefined)) {
        problems.push({ path, code: 'SLA_INVALID', message: `${where}: its ${role} must say either \`enter: <step>\` or \`leave: <step>\`` });
        return;
      }
      if (enter !== undefined && value.outcome !== undefined) {
        problems.push({ path: `${path}/outcome`, at: 'key', code: 'SLA_INVALID', message: `${where}: \`outcome\` goes with \`leave\`, not \`enter\` (a step gives its outcome when it is left)` });
      }
      const step = (enter ?? leave) as unknown;
      if (typeof step !== 'string') return;
      const stepPath = `${path}/${enter !== undefined ? 'enter' : 'leave'}`;
      const definition = steps.get(step);
      if (!definition) {
        problems.push({ path: stepPath, code: 'SLA_UNKNOWN_STEP', message: `${where} ${role}s on step \`${step}\`, which does not exist${didYouMean(step, stepIds)}` });
        return;
      }
      if (enter !== undefined) return; // an outcome with `enter` is reported above
      const offered = isObject(definition.task) && Array.isArray(definition.task.outcomes) ? (definition.task.outcomes as unknown[]).filter((o): o is string => typeof o === 'string') : undefined;
      asList(value.outcome).forEach((outcome, i) => {
        if (typeof outcome !== 'string') return;
        if (offered === undefined && typeof definition.subprocess !== 'string') {
          problems.push({ path: `${path}/outcome`, code: 'SLA_UNKNOWN_OUTCOME', message: `${where}: step \`${step}\` gives no outcomes (only tasks and subprocesses do)` });
        } else if (offered && !offered.includes(outcome)) {
          problems.push({
            path: Array.isArray(value.outcome) ? `${path}/outcome/${i}` : `${path}/outcome`,
            code: 'SLA_UNKNOWN_OUTCOME',
            message: `${where} ${role}s when step \`${step}\` gives \`${outcome}\`, an outcome it does not offer${didYouMean(outcome, offered) || `; it offers ${listOf(offered)}`}`,
          });
        }
      });
    };
    trigger(sla.start, at('start'), 'start');
    if (Array.isArray(sla.stop)) sla.stop.forEach((t, i) => trigger(t, at('stop', i), 'stop'));
    else trigger(sla.stop, at('stop'), 'stop');

    // Pause.
    if (isObject(sla.pause)) {
      asList(sla.pause['while-in']).forEach((step, i) => {
        if (typeof step === 'string' && !steps.has(step)) {
          problems.push({ path: at('pause', 'while-in', i), code: 'SLA_UNKNOWN_STEP', message: `${where} pauses in step \`${step}\`, which does not exist${didYouMean(step, stepIds)}` });
        }
      });
      if (typeof sla.pause.while === 'string' && context.checker) {
        for (const issue of context.checker.checkExpression(sla.pause.while, 'bool')) problems.push({ path: at('pause', 'while'), code: issue.code, message: issue.message, offset: issue.offset });
      }
    }

    // Escalation ladder.
    if (Array.isArray(sla.escalations)) {
      sla.escalations.forEach((rung, i) => {
        if (!isObject(rung)) return;
        const when = ['at', 'before', 'after'].filter((key) => rung[key] !== undefined);
        if (when.length !== 1) {
          problems.push({
            path: at('escalations', i),
            code: 'SLA_INVALID',
            message: `${where}: escalation ${i + 1} must say exactly one of \`at: 75%\`, \`at: breach\`, \`before: <duration>\` or \`after: <duration>\`${when.length > 1 ? ` (it says ${listOf(when, 'and')})` : ''}`,
          });
        }
        if (typeof rung.at === 'string' && rung.at !== 'breach' && Number(rung.at.replace('%', '')) >= 100) {
          problems.push({ path: at('escalations', i, 'at'), code: 'SLA_INVALID', message: `${where}: \`at: ${rung.at}\` is the breach or later; write \`at: breach\` or \`after: <duration>\`` });
        }
        checkDuration(rung.before, at('escalations', i, 'before'), 'the escalation offset', false);
        checkDuration(rung.after, at('escalations', i, 'after'), 'the escalation offset', false);
        const role = (name: unknown, path: string, what: string) => {
          if (typeof name === 'string' && roles.length > 0 && !roles.includes(name)) {
            problems.push({ path, code: 'ROLE_UNKNOWN', message: `${where} ${what} role \`${name}\`, which \`roles\` does not declare${didYouMean(name, roles) || `; declared roles: ${listOf(roles, 'and')}`}` });
          }
        };
        if (Array.isArray(rung.notify)) rung.notify.forEach((r, j) => role(r, at('escalations', i, 'notify', j), 'notifies'));
        else role(rung.notify, at('escalations', i, 'notify'), 'notifies');
        role(rung['reassign-to'], at('escalations', i, 'reassign-to'), 'reassigns tasks to');
        if (isObject(rung.task)) role(rung.task.role, at('escalations', i, 'task', 'role'), 'opens a task for');
        template(rung.message, at('escalations', i, 'message'));
        if (typeof rung.subprocess === 'string' && context.processes && !context.processes.has(rung.subprocess)) {
          problems.push({
            path: at('escalations', i, 'subprocess'),
            code: 'SUBPROCESS_UNKNOWN',
            message: `${where} opens a case of process \`${rung.subprocess}\`, which no definition provides${didYouMean(rung.subprocess, context.processes.keys())}`,
          });
        }
        if (rung.with !== undefined && rung.subprocess === undefined) {
          problems.push({ path: at('escalations', i, 'with'), at: 'key', code: 'SLA_INVALID', message: `${where}: \`with\` is the input of a subprocess; add \`subprocess:\` or remove it` });
        }
        const acts = ['notify', 'raise-priority', 'reassign-to', 'task', 'subprocess'].filter((key) => rung[key] !== undefined);
        const misspelt = Object.keys(rung).some((key) => !rungKeys.includes(key)); // the schema reports it, with the key meant
        if (acts.length === 0 && rung.at !== 'breach' && rung.at === undefined && !misspelt) {
          problems.push({ path: at('escalations', i), code: 'SLA_INVALID', message: `${where}: escalation ${i + 1} does nothing; give it \`notify\`, \`raise-priority\`, \`reassign-to\`, \`task\` or \`subprocess\`` });
        }
      });
    }
  }
  return problems;
}
