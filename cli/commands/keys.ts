/** `aftercare keys show|rotate`: the actor keys that sign who acts on cases (docs/operators.md#who-may-act). */
import fs from 'node:fs/promises';
import { ActorKeySet } from '../../client/actor-keys.js';
import { readConfig } from '../../worker/config.js';
import { parse, printJson, UsageError, type Command } from '../io.js';

const help = `aftercare keys <show|rotate> [--id KEY-ID] [--json]

  keys show            the actor key set: which key signs, the keys new cases trust, the endorsements
  keys rotate [--id K] make a new signing key, endorsed by the current one: running cases accept it,
                       new cases trust both (default id: actors-<today>)

Reads and writes AFTERCARE_ACTOR_KEYS_FILE (default .data/actor-keys.json); roll the file out to
every service that acts for people. Public keys only are shown.`;

export const keysCommand: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    console.log(help);
    return sub ? 0 : 2;
  }
  if (sub !== 'show' && sub !== 'rotate') throw new UsageError(`unknown keys command \`${sub}\`\n\n${help}`);
  const { values } = parse(rest, { id: { type: 'string' }, json: { type: 'boolean' } }, help);
  const file = readConfig().actorKeysFile;
  let keys: ActorKeySet;
  try {
    keys = await ActorKeySet.read(file);
  } catch (error) {
    console.error(`aftercare keys: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} does not exist: \`npm start\` creates the dev keys, or set AFTERCARE_ACTOR_KEYS_FILE` : (error as Error).message}`);
    return 1;
  }
  if (sub === 'rotate') {
    const id = values.id ?? `actors-${new Date().toISOString().slice(0, 10)}`;
    try {
      keys = keys.rotate(id);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // Written beside, then renamed: a crash never leaves a half-written key file.
    await fs.writeFile(`${file}.new`, keys.toJson(), { mode: 0o600 });
    await fs.rename(`${file}.new`, file);
  }
  const shown = { file, current: keys.currentKid, trusted: keys.trustedKeys(), endorsements: keys.file.endorsements.length };
  if (values.json) printJson(shown);
  else {
    if (sub === 'rotate') console.log(`${keys.currentKid} now signs, endorsed by the key before it; running cases accept it.`);
    console.log(`${file}: signing with ${shown.current}; new cases trust ${shown.trusted.map((k) => k.kid).join(', ')}; ${shown.endorsements} endorsement(s)`);
  }
  return 0;
};
