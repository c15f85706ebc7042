/**
 * `aftercare <command>`: the command line for process owners, operators and developers.
 */
import { NotRunningError, printJson, UsageError, type Command } from './io.js';

/**
 * Each command is imported when it runs, not before: `aftercare --help` loads no Temporal
 * client, and `case status` no definition loader, PostgreSQL driver or worker.
 */
const commands: Record<string, () => Promise<Command>> = {
  dev: async () => (await import('./commands/dev.js')).devCommand,
  worker: async () => (await import('./commands/dev.js')).workerCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  graph: async () => (await import('./commands/graph.js')).graphCommand,
  case: async () => (await import('./commands/case.js')).caseCommand,
  task: async () => (await import('./commands/task.js')).taskCommand,
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  staff: async () => (await import('./commands/staff.js')).staffCommand,
  calendars: async () => (await import('./commands/calendars.js')).calendarsCommand,
  publish: async () => (await import('./commands/publish.js')).publishCommand,
  keys: async () => (await import('./commands/keys.js')).keysCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
};

const usage = `aftercare — after-sales processes as durable Temporal workflows

Usage: aftercare <command> [options]

Commands:
  dev                           start Temporal (Web UI), PostgreSQL and the worker on this machine (npm start)
  worker                        run the worker against TEMPORAL_ADDRESS and DATABASE_URL
  validate [paths...]           check definitions (default: definitions/) (--json)
  graph <process|file>          draw a process (--format mermaid|dot, --version N)
  test [files|processes...]     run the scenario tests in definitions/tests on a time-skipping server (--coverage,
                                --diagram, --records, --filter, --parallel, --json)
  publish [folder]              record the process versions released, so an edit without a new version is refused
  case open <process>           open a case (--input JSON or @file, --case-id, --owner, --param NAME=VALUE,
                                --wait | --wait-for STEP, --timeout)
  case status <case-id>         a case: where it is, open tasks, data, timeline
  case list                     cases (--process, --status, --role, --customer, --step, --owner, --assignee,
                                --limit, --query, --explain)
  case cancel <case-id>         cancel a case (--reason, --as, --role, --request-id)
  case retry <case-id>          run a failed case's failed step again, once its cause is fixed (--reason, --request-id)
  case history <case-id>        who did what to a case, verified by which token and directory version
  case graph <case-id>          the process diagram (Mermaid) with the case's path, current step and visit counts
  task complete <case> <task>   complete a task (--outcome, --data, --as, --role, --request-id,
                                --wait | --wait-for STEP, --timeout); prints the tasks open after it
  task claim <case> <task>      take a task (--as, --role)
  task reassign <case> <task>   hand a task on (--to, --as, --role, --reason)
  task wait <case> <step>       wait until a task of the step is open (--timeout 30s)
  migrate [--demo-data]         apply database migrations to DATABASE_URL (and the demo staff and parts)
  staff list|show|history       the staff directory: people, the roles each holds, approval limits
  staff import|grant|revoke     change it (--reason); every change is a new, audited directory version
  keys show|rotate              the actor keys that sign who acts on cases (--json); rotate (--id K): a new key running cases accept
  calendars push                give open cases that follow calendar updates the newest calendars
  report monthly|sla            monthly figures (--month YYYY-MM), SLA compliance (--process, --since)

--json (machine-readable output, times in UTC) is taken by case, task, staff, keys, test, report, validate,
calendars and graph; dev, worker, migrate and publish print progress lines only. Times for people
are the company's (AFTERCARE_TIME_ZONE, or the processes' calendar zone). Every command takes --help.
Who acts (task, case cancel): AFTERCARE_TOKEN, your identity provider's token for you; on the dev
setup --as PERSON (or --actor), a person of the staff directory. --role picks one of their roles.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`aftercare: unknown command \`${name}\`\n\n${usage}`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (error) {
    const usage = error instanceof UsageError;
    const message = usage || error instanceof NotRunningError ? (error as Error).message : describeError(error);
    // With --json, machines read the failure on stdout as well, in the shape refusals have.
    if (rest.includes('--json')) printJson({ error: { code: usage ? 'USAGE' : error instanceof NotRunningError ? 'NOT_RUNNING' : 'FAILED', message } });
    console.error(`aftercare ${name}: ${message}`);
    return usage ? 2 : 1;
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
