import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Passwords, API keys and session keys: everything secret the server makes. Passwords are hashed
 * with scrypt; the hash string names its cost so a later change of cost still verifies old ones.
 */

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** About 50 ms a hash on a server CPU: slow for a guesser, quick for a login. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 16384, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;

export class PasswordHasher {
  constructor(private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {}

  /** `scrypt$N$r$p$salt$hash`, salt and hash in Base64. */
  hash(password: string): string {
    const salt = randomBytes(SALT_BYTES);
    const { N, r, p } = this.cost;
    const key = scryptSync(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r });
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** Whether the password matches the hash, compared in constant time. */
  verify(password: string, hash: string): boolean {
    const parts = hash.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
    const salt = Buffer.from(parts[4]!, 'base64');
    const expected = Buffer.from(parts[5]!, 'base64');
    if (expected.length !== KEY_BYTES) return false;
    const key = scryptSync(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r });
    return timingSafeEqual(key, expected);
  }
}

/** A user's API key pair: 64 random bytes each, URL-safe Base64 (86 characters, as CloudStack's). */
export function generateApiKeys(): { apiKey: string; secretKey: string } {
  return { apiKey: randomBytes(64).toString('base64url'), secretKey: randomBytes(64).toString('base64url') };
}

/** A random password for a bootstrap user. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
