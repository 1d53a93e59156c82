import crypto from 'node:crypto';

/**
 * Password hashing with scrypt: memory-hard (each guess costs 32 MiB, which slows GPU and ASIC
 * cracking), built into node:crypto, so no native addon to compile. It runs on libuv's thread pool
 * through the callback API, never on the event loop. The stored form carries its parameters —
 * `scrypt$N$r$p$salt$hash`, salt and hash in base64url — so they can be raised later without
 * locking anyone out: old hashes verify with the parameters they were made with.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
// scrypt needs about 128·N·r bytes (32 MiB here); Node's default cap is exactly 32 MiB, which that
// just exceeds, so the cap is raised to leave room.
const MAX_MEM = 64 * 1024 * 1024;

/** NFKC first, so that a password typed with composed or decomposed accents is the same password. */
function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { N: n, r, p, maxmem: MAX_MEM }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` is the one `stored` was made from; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || salt === undefined || hash === undefined) {
    throw new Error('a stored password hash is not in a format this version of Sluice knows');
  }
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, for a login whose email matches no user: the
 * answer then takes as long as for a wrong password, so timing does not tell which emails exist.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('base64url'));
  await verifyPassword(password, await dummy);
  return false;
}
