// Webhook signing secrets. Unlike an API key, which only has to be recognised
// (its hash suffices), a signing secret has to be used: the server signs each
// delivery with it. So it is kept, but encrypted (AES-256-GCM) under a key the
// database never holds: WEBHOOK_SECRETS_KEY (32 bytes, base64 or hex; every
// instance of a deployment needs the same one), or on the embedded database a
// key file created beside the data (DATA_DIR/webhook-secrets.key, mode 0600).
// A copy of the database alone (a dump, a backup, a replica, a leaked query
// result) reveals no secret. The clear secret is returned once, when it is
// made; it is never logged, never in an audit event or the change log.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ALGORITHM = 'aes-256-gcm';
const AAD = Buffer.from('privacy-facts webhook secret v1');

export interface SecretBox {
  seal(secret: string): string;
  open(sealed: string): string;
}

export class SecretUnavailableError extends Error {}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the webhook secrets key must be 32 bytes');
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, key, iv).setAAD(AAD);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['v1', iv, body, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== 'v1' || !iv || !body || !tag)
        throw new SecretUnavailableError('the stored secret is not readable');
      try {
        const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url')).setAAD(AAD);
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnavailableError(
          'the webhook secret cannot be decrypted with this server’s key (was WEBHOOK_SECRETS_KEY changed?); rotate the secret',
        );
      }
    },
  };
}

/** A new signing secret in the Standard Webhooks form: whsec_ and 32 random bytes in base64. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** WEBHOOK_SECRETS_KEY's value as 32 bytes, or null when it is not 32 bytes in base64 or hex. */
export function parseSecretsKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

export const KEY_FILE = 'webhook-secrets.key';

/** The embedded database's key: read from its file beside the data, made on first use. */
export async function keyFileIn(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, KEY_FILE);
  try {
    const key = parseSecretsKey(await readFile(file, 'utf8'));
    if (key) return key;
    throw new Error(`${file} does not hold a 32-byte key`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return key;
}
