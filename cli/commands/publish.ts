import path from 'node:path';
import { formatProblem } from '../../dsl/problems.js';
import { publishedFileName, publishVersions } from '../../dsl/load/published.js';
import { DefinitionRegistry, DefinitionsInvalidError } from '../../dsl/load/registry.js';
import { readConfig } from '../../worker/config.js';
import { parse, type Command } from '../io.js';

const help = `aftercare publish [folder]

Records the process versions of a definitions folder (default: the definitions folder) as
released, in its ${publishedFileName}: each process and version with the hash of its content.
From then on a definition edited without raising its version is refused (VERSION_CHANGED), so
one version number always means one process. Run it when a new version goes out; commit the
file with the definitions. Refused, changing nothing, while the folder has any problem.`;

export const publishCommand: Command = async (argv) => {
  const { positionals } = parse(argv, {}, help);
  const folder = path.resolve(positionals[0] ?? readConfig().definitionsDir);
  let registry: DefinitionRegistry;
  try {
    registry = await DefinitionRegistry.load([folder]);
  } catch (error) {
    if (!(error instanceof DefinitionsInvalidError)) throw error;
    for (const problem of error.problems) console.error(formatProblem({ ...problem, file: path.relative(process.cwd(), problem.file) || problem.file }));
    console.error(`\nnothing published: fix the ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} first`);
    return 1;
  }
  const versions = registry.processes().flatMap((process) => registry.versions(process).map((loaded) => ({ process, version: loaded.compiled.version, hash: loaded.hash })));
  const published = await publishVersions(folder, versions);
  for (const v of published) console.log(`${v.added ? 'published' : 'already published'}  ${v.process} v${v.version}`);
  const added = published.filter((v) => v.added).length;
  console.log(`${added} new version${added === 1 ? '' : 's'} recorded in ${path.relative(process.cwd(), path.join(folder, publishedFileName)) || publishedFileName}`);
  return 0;
};
