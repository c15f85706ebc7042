/**
 * Writes docs/processes.md from the shipped definitions: for each process its purpose, roles
 * and who may cancel a case, parameters with their defaults, time limits, outcomes and its
 * diagram (the same Mermaid that `aftercare graph` prints). A test fails when the file is out of date, so the page always shows
 * what the YAML says.
 *
 *   npm run docs:processes
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObject, type Json } from '../dsl/document.js';
import { renderGraph } from '../dsl/graph.js';
import { DefinitionRegistry } from '../dsl/load/registry.js';
import { projectRoot } from '../worker/config.js';
import { cell, code } from './markdown.js';

export const processDocsFile = path.join(projectRoot, 'docs', 'processes.md');

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
/** Table cells: one line, no pipes. */

function trigger(value: unknown): string {
  if (value === undefined || value === 'case-opened') return 'the case opens';
  if (!isObject(value)) return String(value);
  if (typeof value.enter === 'string') return `entering ${code(value.enter)}`;
  const outcomes = list(value.outcome).map(code).join(' or ');
  return `leaving ${code(value.leave)}${outcomes ? ` with ${outcomes}` : ''}`;
}

function target(value: unknown): string {
  if (!isObject(value)) return code(value);
  const { by, ...perValue } = value;
  return `by ${code(by)}: ${Object.entries(perValue)
    .map(([key, text]) => `${key} ${code(text)}`)
    .join(', ')}`;
}

function rung(value: Json): string {
  const when = value.at === 'breach' ? 'at the breach' : value.at !== undefined ? `at ${value.at}` : value.before !== undefined ? `${value.before} before the breach` : `${value.after} after the breach`;
  const actions: string[] = [];
  if (value.notify !== undefined) actions.push(`notify ${list(value.notify).join(', ')}${value['within-working-hours'] ? ' (in working hours)' : ''}`);
  if (value['raise-priority'] !== undefined) actions.push(`priority ${code(value['raise-priority'])}`);
  if (value['reassign-to'] !== undefined) actions.push(`open tasks to ${value['reassign-to']}`);
  if (isObject(value.task)) actions.push(`task for ${value.task.role}: “${value.task.title}”`);
  if (value.subprocess !== undefined) actions.push(`open a ${code(value.subprocess)} case`);
  return `${when}: ${actions.join('; ')}`;
}

function section(definition: Json, file: string, mermaid: string): string {
  const out: string[] = [];
  out.push(`## ${definition.title} (\`${definition.process}\`, version ${definition.version})`, '');
  if (definition.description) out.push(cell(definition.description), '');
  out.push(`Source: [\`${file}\`](../${file}) · owner: ${definition.owner ?? '—'} · calendar: ${definition.calendar ? `${code(definition.calendar)}${definition['calendar-updates'] === 'follow' ? ' (running cases follow its updates)' : ' (cases keep the version they opened with)'}` : 'none'}`, '');

  if (isObject(definition.roles)) {
    out.push('| role | who | does |', '| --- | --- | --- |');
    for (const [name, role] of Object.entries(definition.roles)) {
      if (!isObject(role)) continue;
      const actsFor = list(role['acts-for']);
      out.push(`| ${code(name)} | ${cell(role.title)} | ${cell(role.description)}${actsFor.length ? ` (acts for ${actsFor.join(', ')})` : ''} |`);
    }
    out.push('');
  }
  const mayCancel = list(definition['may-cancel']);
  out.push(`May cancel a case: ${mayCancel.length > 0 ? mayCancel.map(code).join(', ') : 'no role (only a Temporal operator)'}`, '');

  if (isObject(definition.parameters) && Object.keys(definition.parameters).length > 0) {
    out.push('**Parameters** (override per case with `--param name=value` or `openCase(..., { parameters })`)', '', '| parameter | default | meaning |', '| --- | --- | --- |');
    for (const [name, parameter] of Object.entries(definition.parameters)) {
      if (isObject(parameter)) out.push(`| ${code(name)} | ${code(parameter.default)} | ${cell(parameter.description)} |`);
    }
    out.push('');
  }

  if (isObject(definition.slas) && Object.keys(definition.slas).length > 0) {
    out.push('**Time limits**', '', '| clock | target | runs from → to | pauses | escalations |', '| --- | --- | --- | --- | --- |');
    for (const [id, sla] of Object.entries(definition.slas)) {
      if (!isObject(sla)) continue;
      const pause = isObject(sla.pause) ? [list(sla.pause['while-in']).map(code).join(', '), sla.pause.while ? code(sla.pause.while) : '', sla.pause.reason ? `(${sla.pause.reason})` : ''].filter(Boolean).join(' ') : '—';
      const stops = list(sla.stop).map(trigger).join(' or ') || 'the case closes';
      const ladder = list(sla.escalations).filter(isObject).map(rung).join('<br/>') || '—';
      out.push(`| ${cell(sla.title)} (${code(id)}) | ${target(sla.target)} | ${trigger(sla.start)} → ${stops} | ${cell(pause)} | ${ladder} |`);
    }
    out.push('');
  }

  out.push('```mermaid', mermaid.trimEnd(), '```', '');
  return out.join('\n');
}

export async function renderProcessDocs(): Promise<string> {
  const registry = await DefinitionRegistry.load([path.join(projectRoot, 'definitions')]);
  const parts = [
    '# The shipped processes',
    '',
    '<!-- GENERATED by `npm run docs:processes` (scripts/generate-process-docs.ts) from definitions/*.yaml; a test keeps it in step. Do not edit by hand. -->',
    '',
    'Each process as its YAML says it: roles and who may cancel a case, the numbers the manuals',
    'leave open (parameters, with their defaults), the time limits and their escalations, and the',
    'diagram that `npx aftercare graph <process>` prints. Rounded boxes are human tasks, rectangles',
    'automated actions, diamonds decisions, stadiums the ends; dotted arrows are what happens when an',
    'action finally fails.',
    '',
  ];
  for (const process of registry.processes()) {
    const loaded = registry.get(process);
    const file = path.relative(projectRoot, loaded.file);
    parts.push(section(loaded.definition as unknown as Json, file, renderGraph(loaded.compiled, 'mermaid')));
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await fs.writeFile(processDocsFile, await renderProcessDocs());
  console.log(`wrote ${path.relative(process.cwd(), processDocsFile)}`);
}
