/** One builder of what a new case starts with, for the client, a subprocess step and an escalation case. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileProcess } from '../../../dsl/compile.js';
import type { ProcessDefinition } from '../../../model/generated/process-definition.js';
import { projectRoot } from '../../../worker/config.js';
import { caseInputIssues, caseStart } from '../../../workflows/case-start.js';
import type { CaseArgs } from '../../../workflows/messages.js';
import { inertMarkdown } from '../../../workflows/presentation.js';
import { escalationCase } from '../../../workflows/transitions/escalation-case.js';
import { caseWith } from '../rules/case-fixture.js';

const definition = parse(fs.readFileSync(path.join(projectRoot, 'test', 'fixtures', 'processes', 'every-step.yaml'), 'utf8')) as ProcessDefinition;
const process = compileProcess(definition);
const pinned = { definition, hash: 'abcdef0123456789'.repeat(4) };
const input = { customer: { id: 'M-1', name: 'Wang Li' }, amount: 20 };
const now = Date.parse('2026-03-02T01:00:00Z');

describe('caseStart', () => {
  it('gives a child case its parent in the arguments and the memo, and the summary and search attributes of its process', () => {
    const start = caseStart({ process, pinned, caseId: 'C-1.child', input, owner: 'li.na', parent: { caseId: 'C-1', stepId: 'child' }, now });
    expect(Object.keys(start.args)).toEqual(['caseId', 'pinned', 'input', 'owner', 'parent', 'engine']);
    expect(start.memo).toEqual({ definitionHash: pinned.hash, definitionVersion: 1, parentCaseId: 'C-1' });
    expect(start.summary).toBe('Test C-1.child · Wang Li');
    const attributes = Object.fromEntries(start.searchAttributes.map((pair) => [pair.key.name, pair.value]));
    expect(attributes).toMatchObject({ CaseId: 'C-1.child', Process: 'every-step', CaseOwner: 'li.na', CustomerId: 'M-1', Priority: 'normal' });
    expect(start.details).toBe('Every step kind, version 1 (definition abcdef012345)');
  });

  it('keeps the argument order cases were recorded with, leaving out what was not given', () => {
    const start = caseStart({ process, pinned, caseId: 'C-2', input, subprocesses: {}, calendars: {}, parameters: { coolingOff: '2 days' }, options: { continueAsNewAfterEvents: 500 }, now });
    expect(Object.keys(start.args)).toEqual(['caseId', 'pinned', 'subprocesses', 'calendars', 'input', 'parameters', 'options', 'engine']);
    expect(start.memo).toEqual({ definitionHash: pinned.hash, definitionVersion: 1 });
  });
});

/** What a caller might plant in a name the summary quotes: a link, an element with a handler, a heading. */
const planted = '[Refund here](https://evil.example/pay) <img src=x onerror=alert(1)>\n# Urgent';
const hostile = { customer: { id: 'M-1', name: planted }, amount: 20 };

/** Markdown that makes a link, an element or a heading: none may be left unescaped. */
function liveMarkup(markdown: string): string[] {
  return [...markdown.matchAll(/(?<!\\)[[\]()<>#:]/g)].map((m) => m[0]);
}

describe('the Web UI summary of a new case', () => {
  it('is the summary made inert, for a case a service opens or a child case; the text summary stays as written', () => {
    for (const parent of [undefined, { caseId: 'C-1', stepId: 'child' }]) {
      const start = caseStart({ process, pinned, caseId: 'C-1.child', input: hostile, ...(parent ? { parent } : {}), now });
      expect(start.summary).toBe(`Test C-1.child · ${planted}`);
      expect(start.staticSummary).toBe(inertMarkdown(start.summary));
      expect(liveMarkup(start.staticSummary)).toEqual([]);
      expect(start.staticSummary).toContain('\\[Refund here\\]\\(https\\://evil.example/pay\\)');
      expect(start.staticSummary).not.toContain('\n');
    }
  });

  it('is made inert for an escalation case too (an SLA rung opening a case of another process)', () => {
    const args: CaseArgs = { caseId: 'C-1', pinned, input, subprocesses: { 'every-step': pinned } };
    const { effect } = escalationCase(args, caseWith({ caseId: 'C-1', process: 'every-step', version: 1 }), 'every-step', hostile, 'C-1.sla.resolution.1', 'SLA resolution breached', now);
    expect(effect.kind).toBe('child');
    expect(effect.summary).toBe(inertMarkdown(`Test C-1.sla.resolution.1 · ${planted}`));
    expect(liveMarkup(effect.summary)).toEqual([]);
  });
});

describe('caseInputIssues', () => {
  it('reports input that fails the process’s schema and parameter values that are not of their type', () => {
    expect(caseInputIssues(process, definition, input, undefined)).toEqual([]);
    const issues = caseInputIssues(process, definition, { customer: { id: 'M-1' } }, { coolingOff: 'soon' });
    expect(issues.map((i) => i.message).join('\n')).toMatch(/amount/);
    expect(issues.map((i) => i.message).join('\n')).toMatch(/coolingOff/);
  });
});
