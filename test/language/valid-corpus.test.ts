/**
 * The valid definitions corpus (test/fixtures/valid) loads without a single problem, and
 * together its files use every property the schema defines, in the place the schema defines
 * it: every key of every step kind, of SLA clocks and their escalation ladders, of parameters,
 * roles and the rest. A new property in schema/process.schema.json needs a valid example here.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import processSchema from '../../schema/process.schema.json' with { type: 'json' };
import { loadDefinitions } from '../../dsl/load/load.js';
import { corpusLoadOptions, validDir } from './broken-corpus.js';

type Schema = Record<string, unknown>;
const defs = processSchema.$defs as Record<string, Schema>;
const topLevel = '(top level)';

/** Properties no valid file can show, with the reason. Empty: every property has an example. */
const notCoverable: Record<string, string> = {};

/** Every (definition, property) pair the schema declares, as `definition.property`. */
function declaredProperties(): string[] {
  const pairs: string[] = Object.keys(processSchema.properties).map((key) => `${topLevel}.${key}`);
  for (const [name, def] of Object.entries(defs)) {
    for (const key of Object.keys((def.properties as Schema | undefined) ?? {})) pairs.push(`${name}.${key}`);
  }
  return pairs;
}

/**
 * The (definition, property) pairs a document uses: walks the document beside the schema,
 * following `$ref`s and, for `anyOf`, the alternatives the value matches.
 */
function usedProperties(document: unknown, ajv: Ajv2020): Set<string> {
  const matches = (pointer: string, value: unknown): boolean => {
    const validate = ajv.getSchema(`${processSchema.$id}#${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    return validate(value) as boolean;
  };
  const used = new Set<string>();
  const walk = (pointer: string, node: Schema, value: unknown, owner: string): void => {
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/$defs/', '');
      walk(`/$defs/${name}`, defs[name] ?? {}, value, name);
      return;
    }
    if (Array.isArray(node.anyOf)) {
      node.anyOf.forEach((alternative, i) => {
        if (matches(`${pointer}/anyOf/${i}`, value)) walk(`${pointer}/anyOf/${i}`, alternative as Schema, value, owner);
      });
    }
    if (Array.isArray(value) && node.items && typeof node.items === 'object') {
      for (const item of value) walk(`${pointer}/items`, node.items as Schema, item, owner);
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const properties = (node.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, child] of Object.entries(value)) {
        if (properties[key]) {
          used.add(`${owner}.${key}`);
          walk(`${pointer}/properties/${key}`, properties[key], child, owner);
        } else if (node.additionalProperties && typeof node.additionalProperties === 'object') {
          walk(`${pointer}/additionalProperties`, node.additionalProperties as Schema, child, owner);
        }
      }
    }
  };
  walk('', processSchema as unknown as Schema, document, topLevel);
  return used;
}

describe('the valid definitions corpus', () => {
  it('loads every file without a problem', async () => {
    const files = (await fs.readdir(validDir)).filter((f) => f.endsWith('.yaml'));
    const result = await loadDefinitions([validDir], { ...corpusLoadOptions, context: [] });
    expect(result.problems).toEqual([]);
    expect(result.definitions.map((d) => path.basename(d.file)).sort()).toEqual(files.sort());
  });

  it('uses every property the schema defines, where the schema defines it', async () => {
    const result = await loadDefinitions([validDir], { ...corpusLoadOptions, context: [] });
    const ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
    ajv.addSchema(processSchema);
    const used = new Set<string>();
    for (const loaded of result.definitions) for (const pair of usedProperties(loaded.definition, ajv)) used.add(pair);
    const unused = declaredProperties().filter((pair) => !used.has(pair) && !(pair in notCoverable));
    expect(unused, 'schema properties no valid fixture uses').toEqual([]);
  });

  it('uses every step kind', async () => {
    const result = await loadDefinitions([validDir], { ...corpusLoadOptions, context: [] });
    const kinds = new Set(result.definitions.flatMap((d) => Object.values(d.compiled.steps).map((s) => s.kind)));
    expect([...kinds].sort()).toEqual(['action', 'decide', 'end', 'parallel', 'subprocess', 'task', 'wait'].sort());
  });
});
