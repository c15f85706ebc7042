/** A definition is compiled once per worker and shared frozen; a passed check is not run again. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileProcess } from '../../dsl/compile.js';
import type { ProcessDefinition } from '../../model/generated/process-definition.js';
import { projectRoot } from '../../worker/config.js';
import { compiledProcess, verifyOnce } from '../../workflows/definition-cache.js';

const definition = (): ProcessDefinition => parse(fs.readFileSync(path.join(projectRoot, 'definitions', 'passed-on-question.yaml'), 'utf8')) as ProcessDefinition;

describe('the definition cache', () => {
  it('gives the same compiled process for the same definition, equal to a fresh compilation', () => {
    const first = compiledProcess(definition());
    expect(compiledProcess(definition())).toBe(first);
    expect(first).toEqual(compileProcess(definition()));
  });

  it('keys by the definition itself, not by anything a caller says about it', () => {
    const changed = { ...definition(), title: 'Another title' };
    expect(compiledProcess(changed).title).toBe('Another title');
    expect(compiledProcess(definition()).title).not.toBe('Another title');
  });

  it('shares a frozen process, so no case can change another case’s', () => {
    const process = compiledProcess(definition());
    expect(() => {
      (process.steps as Record<string, unknown>).extra = {};
    }).toThrow(TypeError);
    const step = Object.values(process.steps)[0] as { title: string };
    expect(() => {
      step.title = 'changed';
    }).toThrow(TypeError);
  });

  it('runs a check until it passes, then not again for the same definitions', () => {
    let runs = 0;
    const failing = () => {
      runs++;
      throw new Error('refused');
    };
    const other = { ...definition(), title: 'Checked' };
    expect(() => verifyOnce(other, {}, failing)).toThrow('refused');
    expect(() => verifyOnce(other, {}, failing)).toThrow('refused');
    verifyOnce(other, {}, () => runs++);
    verifyOnce(other, {}, () => runs++);
    expect(runs).toBe(3);
    verifyOnce(other, { child: definition() }, () => runs++);
    expect(runs).toBe(4);
  });
});
