import path from 'node:path';
import { activityCatalog } from '../../activities/catalog.js';
import { loadDefinitions } from '../../dsl/load.js';
import { formatProblem } from '../../dsl/problems.js';
import { readConfig } from '../../worker/config.js';
import { parse, printJson, type Command } from '../io.js';

const help = `aftercare validate [paths...] [--json]

Checks process definitions (files or folders; default: the definitions folder) and prints
every problem as  file:line:col  CODE  message, then a summary.
Exit status: 0 when clean, 1 when any problem is found.
  --json   print {"errors":[{"file","line","column","code","message","path"}], "files":[...]}`;

export const validateCommand: Command = async (argv) => {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, help);
  const config = readConfig();
  const paths = positionals.length > 0 ? positionals : [config.definitionsDir];
  // Other processes of the definitions folder, so subprocess steps of the checked files resolve.
  const known = await loadDefinitions([config.definitionsDir], { activities: activityCatalog });
  const context = known.definitions.map((d) => ({ process: d.compiled.process, outcomes: d.compiled.outcomes }));
  const result = await loadDefinitions(paths, { activities: activityCatalog, context });
  const relative = (file: string) => path.relative(process.cwd(), file) || file;
  const errors = result.problems.map((p) => ({ ...p, file: relative(p.file) }));
  if (values.json) {
    printJson({ errors: errors.map(({ file, line, column, code, message, path: pointer }) => ({ file, line, column, code, message, path: pointer })), files: result.files.map(relative) });
    return errors.length > 0 ? 1 : 0;
  }
  for (const problem of errors) console.log(formatProblem(problem));
  const files = result.files.length;
  if (errors.length === 0) {
    const names = result.definitions.map((d) => `${d.compiled.process} v${d.compiled.version}`).join(', ');
    console.log(`${files} file${files === 1 ? '' : 's'} checked, no problems${names ? `: ${names}` : ''}`);
    return 0;
  }
  const broken = new Set(errors.map((e) => e.file)).size;
  console.log(`\n${errors.length} problem${errors.length === 1 ? '' : 's'} in ${broken} of ${files} file${files === 1 ? '' : 's'}`);
  return 1;
};
