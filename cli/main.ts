/**
 * `aftercare <command>`: the command line for process owners, operators and developers.
 */
import { calendarsCommand } from './commands/calendars.js';
import { caseCommand } from './commands/case.js';
import { devCommand, workerCommand } from './commands/dev.js';
import { graphCommand } from './commands/graph.js';
import { migrateCommand } from './commands/migrate.js';
import { publishCommand } from './commands/publish.js';
import { reportCommand } from './commands/report.js';
import { staffCommand } from './commands/staff.js';
import { taskCommand } from './commands/task.js';
import { testCommand } from './commands/test.js';
import { validateCommand } from './commands/validate.js';
import { UsageError, type Command } from './io.js';

const commands: Record<string, Command> = {
  dev: devCommand,
  worker: workerCommand,
  validate: validateCommand,
  graph: graphCommand,
  case: caseCommand,
  task: taskCommand,
  migrate: migrateCommand,
  report: reportCommand,
  staff: staffCommand,
  calendars: calendarsCommand,
  publish: publishCommand,
  test: testCommand,
};

const usage = `aftercare — after-sales processes as durable Temporal workflows

Usage: aftercare <command> [options]

Commands:
  dev                           start Temporal (Web UI), PostgreSQL and the worker on this machine (npm start)
  worker                        run the worker against TEMPORAL_ADDRESS and DATABASE_URL
  validate [paths...]           check definitions (default: definitions/); --json for machines
  graph <process|file>          draw a process (--format mermaid|dot)
  test [files|processes...]     run the scenario tests in definitions/tests on a time-skipping server (--coverage, --records, --json)
  publish [folder]              record the process versions released, so an edit without a new version is refused
  case open <process>           open a case (--input JSON or @file, --case-id, --owner, --wait)
  case status <case-id>         a case: where it is, open tasks, data, timeline
  case list                     cases (--process, --status, --role, --customer, --step, --owner)
  case cancel <case-id>         cancel a case (--reason, --actor, --role)
  case retry <case-id>          run a failed case's failed step again, once its cause is fixed (--reason)
  task complete <case> <task>   complete a task (--outcome, --data, --actor, --role, --wait); prints the tasks open after it
  task claim <case> <task>      take a task (--actor, --role)
  task reassign <case> <task>   hand a task on (--to, --actor, --role)
  task wait <case> <step>       wait until a task of the step is open (--timeout 30s)
  migrate [--demo-data]         apply database migrations to DATABASE_URL (and the demo staff and parts)
  staff list|show|history       the staff directory: people, the roles each holds, approval limits
  staff import|grant|revoke     change it (--reason); every change is a new, audited directory version
  calendars push                give open cases that follow calendar updates the newest calendars
  report monthly|sla            monthly figures (--month YYYY-MM), SLA compliance (--process, --since); --json

Every command takes --help; case and task commands take --json.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`aftercare: unknown command \`${name}\`\n\n${usage}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`aftercare ${name}: ${error.message}`);
      return 2;
    }
    console.error(`aftercare ${name}: ${describeError(error)}`);
    return 1;
  }
}

/**
 * An error's message with the reasons behind it: Temporal's client wraps the server's answer
 * (`Failed to start Workflow` ← the gRPC status's details), and the wrapper alone says nothing.
 */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { message, details, cause } = current as { message?: unknown; details?: unknown; cause?: unknown };
    for (const text of [message, details]) {
      if (typeof text === 'string' && text !== '' && !parts.some((part) => part.includes(text))) parts.push(text);
    }
    current = cause;
  }
  return parts.join(': ') || String(error);
}

// `aftercare case status X | head`: the reader went away; that is not an error to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
