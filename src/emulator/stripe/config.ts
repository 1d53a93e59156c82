import { isIP } from 'node:net';
import type { EmulatorConfig, TunableOptions } from './types.js';

type Tunable = Partial<TunableOptions>;

/** The keys `configure()` takes, in the order the admin API names them. */
export const TUNABLE_KEYS: readonly (keyof TunableOptions)[] = ['latencyMs', 'rateLimit', 'faultRate', 'afterWriteFaultRate'];

/** Applies `changes` to `current`; an invalid value throws an Error naming the option and what is allowed. */
export function mergeConfig(current: EmulatorConfig, changes: Tunable): EmulatorConfig {
  const next = { ...current };
  if (changes.latencyMs !== undefined) next.latencyMs = checkNumber('latencyMs', changes.latencyMs, 0, 600_000);
  if (changes.rateLimit !== undefined) next.rateLimit = checkNumber('rateLimit', changes.rateLimit, 0, 1_000_000);
  if (changes.faultRate !== undefined) next.faultRate = checkNumber('faultRate', changes.faultRate, 0, 1);
  if (changes.afterWriteFaultRate !== undefined) {
    next.afterWriteFaultRate = checkNumber('afterWriteFaultRate', changes.afterWriteFaultRate, 0, 1);
  }
  return next;
}

function checkNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name}: ${JSON.stringify(value)} is not allowed; it must be a number from ${min} to ${max}`);
  }
  return value;
}

/**
 * The emulator accepts any well-formed key and keeps what it is sent, so it must not be reachable
 * from other machines: only loopback addresses are allowed.
 * Not shared with the Google emulator's check, which also accepts shortened forms of ::1 (`0::1`)
 * and other spellings of IPv4-mapped loopback (`::ffff:7f00:1`); merging would change one of them.
 */
export function checkLoopbackHost(host: string): void {
  const version = isIP(host);
  const loopback =
    host === 'localhost' ||
    (version === 4 && host.startsWith('127.')) ||
    (version === 6 && (host === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(host) || /^::ffff:127\./i.test(host)));
  if (!loopback) {
    throw new Error(`host: ${JSON.stringify(host)} is not a loopback address; use 127.0.0.1, ::1 or localhost`);
  }
}
