import path from 'node:path';
import { activityCatalog } from '../../model/activity-catalog/index.js';
import { loadCalendars } from '../../dsl/load/calendar-load.js';
import { loadDefinitions } from '../../dsl/load/load.js';
import { formatProblem } from '../../dsl/problems.js';
import { calendarFolders } from '../../dsl/load/registry.js';
import { readConfig } from '../../worker/config.js';
import { parse, printJson, type Command } from '../io.js';

const help = `aftercare validate [paths...] [--json]

Checks process definitions and business calendars (files or folders; default: the
definitions folder, with its calendars/ folder) and prints every problem as
file:line:col  CODE  message, then a summary. A file in a folder named \`calendars\` is read
as a calendar; a folder's \`calendars/\` subfolder is checked with it.
Exit status: 0 when clean, 1 when any problem is found.
  --json   print {"errors":[{"file","line","column","code","message","path"}], "files":[...]}`;

export const validateCommand: Command = async (argv) => {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, help);
  const config = readConfig();
  const paths = positionals.length > 0 ? positionals : [config.definitionsDir];
  // Calendar files are told apart by their folder: definitions/calendars/*.yaml.
  const isCalendarPath = (p: string) => path.basename(p) === 'calendars' || path.basename(path.dirname(path.resolve(p))) === 'calendars';
  const definitionPaths = paths.filter((p) => !isCalendarPath(p));
  const calendarPaths = [...paths.filter(isCalendarPath), ...(await calendarFolders(definitionPaths))];
  const calendars = await loadCalendars(calendarPaths);
  // The calendars and other processes of the definitions folder, so names in the checked files resolve.
  const knownCalendars = await loadCalendars(await calendarFolders([config.definitionsDir]));
  const calendarNames = new Set([...knownCalendars.names, ...calendars.names]);
  const known = await loadDefinitions([config.definitionsDir], { activities: activityCatalog, calendars: calendarNames });
  const context = known.definitions.map((d) => ({ process: d.compiled.process, outcomes: d.compiled.outcomes }));
  const result =
    definitionPaths.length > 0 ? await loadDefinitions(definitionPaths, { activities: activityCatalog, context, calendars: calendarNames }) : { definitions: [], problems: [], files: [] };
  const relative = (file: string) => path.relative(process.cwd(), file) || file;
  const checkedFiles = [...result.files, ...calendars.files];
  const errors = [...result.problems, ...calendars.problems].map((p) => ({ ...p, file: relative(p.file) }));
  if (values.json) {
    printJson({ errors: errors.map(({ file, line, column, code, message, path: pointer }) => ({ file, line, column, code, message, path: pointer })), files: checkedFiles.map(relative) });
    return errors.length > 0 ? 1 : 0;
  }
  for (const problem of errors) console.log(formatProblem(problem));
  const files = checkedFiles.length;
  if (errors.length === 0) {
    const names = [
      ...result.definitions.map((d) => `${d.compiled.process} v${d.compiled.version}`),
      ...calendars.calendars.map((c) => `calendar ${c.compiled.calendar} v${c.compiled.version}`),
    ].join(', ');
    console.log(`${files} file${files === 1 ? '' : 's'} checked, no problems${names ? `: ${names}` : ''}`);
    return 0;
  }
  const broken = new Set(errors.map((e) => e.file)).size;
  // A file past the per-file limit lists its first problems and one TOO_MANY_PROBLEMS counting the rest.
  const cut = errors.filter((e) => e.code === 'TOO_MANY_PROBLEMS').length;
  const more = cut > 0 ? ` (${cut === 1 ? 'one file has' : `${cut} files have`} more than listed: see TOO_MANY_PROBLEMS)` : '';
  console.log(`\n${errors.length} problem${errors.length === 1 ? '' : 's'} in ${broken} of ${files} file${files === 1 ? '' : 's'}${more}`);
  return 1;
};
