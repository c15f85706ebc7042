import { parse, printJson, UsageError, withClient, type Command } from '../io.js';

const help = `aftercare calendars push [--json]

Gives the open cases of processes with \`calendar-updates: follow\` the newest versions of their
business calendars in definitions/calendars (after a calendar file was updated, e.g. with next
year's official holidays). Their running SLA clocks move their deadlines; due times already set
and waits already started keep their instant. Cases of processes that keep their calendars
(the default) are not touched. Safe to run twice.`;

export const calendarsCommand: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    console.log(help);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'push') throw new UsageError(`unknown subcommand \`${sub}\`\n\n${help}`);
  const { values } = parse(rest, { json: { type: 'boolean' } }, help);
  return withClient(async (client) => {
    const pushed = await client.pushCalendars();
    if (values.json) printJson(pushed);
    else if (pushed.length === 0) console.log('no open case of a process that follows calendar updates');
    else {
      for (const { caseId, process, result, error } of pushed) {
        const what = error
          ? `not updated: ${error}`
          : result && result.updated.length > 0
            ? result.updated.map((u) => `${u.calendar} version ${u.from} → ${u.to}`).join(', ')
            : `unchanged (${result?.kept.map((k) => `${k.calendar}: ${k.reason}`).join('; ') ?? ''})`;
        console.log(`${caseId.padEnd(24)}${process.padEnd(20)}${what}`);
      }
    }
    return pushed.some((p) => p.error) ? 1 : 0;
  });
};
