/**
 * Generates the TypeScript model of a definition from the JSON Schema, the single source of
 * truth. `npm run generate` writes it; a test fails when the committed file has drifted.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPath = path.join(root, 'schema', 'process.schema.json');
export const generatedPath = path.join(root, 'model', 'generated', 'process-definition.ts');

export async function generateDefinitionTypes(): Promise<string> {
  const schema = JSON.parse(await fs.readFile(schemaPath, 'utf8'));
  return compile(schema, 'ProcessDefinition', {
    bannerComment:
      '/* Generated from schema/process.schema.json by `npm run generate`. Do not edit: change the schema. */',
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: true, printWidth: 120 },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await fs.writeFile(generatedPath, await generateDefinitionTypes());
  console.log(`wrote ${path.relative(root, generatedPath)}`);
}
