import { existsSync } from 'node:fs';
import { activityCatalog } from '../../model/activity-catalog/index.js';
import { renderGraph, type GraphFormat } from '../../dsl/graph.js';
import { loadDefinitions } from '../../dsl/load/load.js';
import { formatProblem } from '../../dsl/problems.js';
import { DefinitionRegistry } from '../../dsl/load/registry.js';
import { readConfig } from '../../worker/config.js';
import { parse, printJson, UsageError, type Command } from '../io.js';

const help = `aftercare graph <process|file> [--format mermaid|dot] [--version N] [--json]

Prints the process as a diagram: Mermaid (GitHub and editors render it) or Graphviz DOT.
  --json   {"process", "version", "format", "diagram"}
A case's path on its process: aftercare case graph <case-id>.`;

export const graphCommand: Command = async (argv) => {
  const { values, positionals } = parse(argv, { format: { type: 'string', default: 'mermaid' }, version: { type: 'string' }, json: { type: 'boolean' } }, help);
  const target = positionals[0];
  if (!target) throw new UsageError(`name a process or a file\n\n${help}`);
  const format = values.format as string;
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format must be mermaid or dot, not ${format}`);
  const config = readConfig();
  let compiled;
  if (existsSync(target) && /\.ya?ml$/i.test(target)) {
    const known = await loadDefinitions([config.definitionsDir], { activities: activityCatalog });
    const result = await loadDefinitions([target], { activities: activityCatalog, context: known.definitions.map((d) => ({ process: d.compiled.process, outcomes: d.compiled.outcomes })) });
    if (result.problems.length > 0) {
      for (const problem of result.problems) console.error(formatProblem(problem));
      return 1;
    }
    compiled = result.definitions[0]?.compiled;
  } else {
    const registry = await DefinitionRegistry.load([config.definitionsDir]);
    compiled = registry.get(target, values.version ? Number(values.version) : undefined).compiled;
  }
  if (!compiled) throw new UsageError(`${target} holds no process`);
  const diagram = renderGraph(compiled, format as GraphFormat);
  if (values.json) printJson({ process: compiled.process, version: compiled.version, format, diagram });
  else process.stdout.write(diagram);
  return 0;
};
