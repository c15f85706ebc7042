/**
 * Where the worker, the CLI and the codec server find the keys that encrypt case data in
 * Temporal (client/payload-codec.ts): AFTERCARE_CODEC_KEYS, or the key file. `aftercare dev`
 * creates the key file on first start (private to its owner); a production worker refuses to
 * start without keys, so customer data never reaches a Temporal cluster in clear by mistake.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EncryptionCodec, newCodecKey, parseCodecKeys } from '../client/payload-codec.js';
import type { AftercareConfig } from './config.js';

/** The codec of the configured keys, or undefined when none are configured. */
export async function configuredCodec(config: AftercareConfig): Promise<EncryptionCodec | undefined> {
  if (config.codecKeys) return new EncryptionCodec(parseCodecKeys(config.codecKeys, 'AFTERCARE_CODEC_KEYS'));
  if (!existsSync(config.codecKeysFile)) return undefined;
  return new EncryptionCodec(parseCodecKeys(await fs.readFile(config.codecKeysFile, 'utf8'), config.codecKeysFile));
}

/** The configured codec, or one with a new key written to the key file (0600 in a 0700 folder). */
export async function devCodec(config: AftercareConfig, log: (message: string) => void): Promise<EncryptionCodec> {
  const codec = await configuredCodec(config);
  if (codec) return codec;
  await fs.mkdir(path.dirname(config.codecKeysFile), { recursive: true, mode: 0o700 });
  const id = `dev-${new Date().toISOString().slice(0, 10)}`;
  await fs.writeFile(config.codecKeysFile, `# Aftercare codec keys: id:base64key, the first one encrypting. Keep this file private.\n${newCodecKey(id)}\n`, { mode: 0o600, flag: 'wx' });
  log(`created the key that encrypts case data in Temporal: ${path.relative(process.cwd(), config.codecKeysFile) || config.codecKeysFile} (key ${id})`);
  return (await configuredCodec(config)) as EncryptionCodec;
}

/** The codec a worker against a real cluster needs: refuses to go on without keys. */
export async function requiredCodec(config: AftercareConfig): Promise<EncryptionCodec> {
  const codec = await configuredCodec(config);
  if (codec) return codec;
  throw new Error(
    'no keys to encrypt case data with: set AFTERCARE_CODEC_KEYS (id:base64key, e.g. `prod-1:$(openssl rand -base64 32)`) or AFTERCARE_CODEC_KEYS_FILE; customer data must not reach Temporal in clear',
  );
}
