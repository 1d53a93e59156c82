import { BlockList, isIP } from 'node:net';
import type { EmulatorConfig, GoogleEmulatorOptions } from './types.js';

/** Options checked on the way in: a bad value throws an Error naming the option, the value and what is allowed. */
export type Tunable = Partial<Pick<GoogleEmulatorOptions, 'latencyMs' | 'quotaPerMinute'>>;

const LIMITS: Readonly<Record<keyof EmulatorConfig, { max: number; integer: boolean }>> = {
  latencyMs: { max: 600_000, integer: false },
  quotaPerMinute: { max: 1_000_000, integer: true },
};

export function mergeConfig(current: EmulatorConfig, changes: Tunable): EmulatorConfig {
  const next = { ...current };
  for (const name of Object.keys(LIMITS) as (keyof EmulatorConfig)[]) {
    const value: unknown = changes[name];
    if (value === undefined) continue;
    const { max, integer } = LIMITS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max || (integer && !Number.isInteger(value))) {
      throw new Error(
        `${name}: ${JSON.stringify(value)} is not allowed; it must be ${integer ? 'an integer' : 'a number'} from 0 to ${max}`,
      );
    }
    next[name] = value;
  }
  return next;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * The emulator hands a token to any well-formed JWT and signs anyone in at its consent screen, so
 * it must never be reachable from another machine.
 * Not shared with the Stripe emulator's check, which refuses shortened forms of ::1 (`0::1`) and
 * IPv4-mapped loopback spelled other than `::ffff:127.x.x.x`; merging would change one of them.
 */
export function checkLoopbackHost(host: string): void {
  const family = isIP(host);
  const loopback =
    host === 'localhost' ||
    (family === 4 && LOOPBACK.check(host, 'ipv4')) ||
    (family === 6 && (LOOPBACK.check(host, 'ipv6') || /^::ffff:127\.\d+\.\d+\.\d+$/i.test(host)));
  if (!loopback)
    throw new Error(
      `host: ${JSON.stringify(host)} is not a loopback address; the Google emulator listens only on 127.0.0.1, ::1 or localhost`,
    );
}
