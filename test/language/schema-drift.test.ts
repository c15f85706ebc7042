/**
 * The TypeScript model of a definition is generated from the JSON Schema, the single source of
 * truth: generating it again gives exactly the committed file. When this fails, the schema was
 * changed without `npm run generate` (or the generated file was edited by hand).
 */
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateDefinitionTypes, generatedPath } from '../../scripts/generate-types.js';

describe('the generated definition types', () => {
  it('are exactly what the schema generates', async () => {
    const committed = await fs.readFile(generatedPath, 'utf8');
    expect(committed, 'model/generated/process-definition.ts is out of date: run `npm run generate`').toBe(await generateDefinitionTypes());
  });
});
