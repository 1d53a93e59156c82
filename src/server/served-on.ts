import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether `host` (HOST, or a URL's host name) names this machine only: 127.0.0.0/8, ::1 (also
 * IPv4-mapped), `localhost` and `*.localhost` (RFC 6761: always loopback). A name that merely
 * resolves to loopback today does not count: DNS can change its answer.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  // net.isIP first: ipaddr.js alone would take spellings such as `127.1` that listen() reads differently.
  if (net.isIP(bare) === 0) return false;
  const address = ipaddr.process(bare);
  return address.range() === 'loopback';
}

/** Host and port as a browser sends them in Host and Origin (`127.0.0.1:3000`, `[::1]:3000`, `example.com`). */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * The addresses Sluice is served on, which the Origin check (auth.ts) and the Host check compare
 * a request against — never against the request's own Host header: a page on a name the attacker
 * controls, re-pointed by DNS at Sluice (DNS rebinding), sends a Host and an Origin that agree with
 * each other, so "Origin equals Host" would let it through.
 *
 * - The public URL's origin (SLUICE_PUBLIC_URL, or http://HOST:PORT by default — both name an
 *   address the operator chose, which no other site's page can have as its origin).
 * - When bound to loopback: http://127.0.0.1:PORT, http://localhost:PORT and http://[::1]:PORT,
 *   the names a browser on this machine uses. The port is the one actually listened on, read from
 *   the server at request time, since with PORT=0 it is known only after listen.
 */
export class ServedOn {
  readonly loopback: boolean;

  constructor(
    private readonly o: {
      /** HOST: the address listened on. */
      host: string;
      /** The public URL as it is now (engine.publicUrl: with PORT=0 it is set after listen). */
      publicUrl: () => string;
      /** The port listened on, once listening. */
      port: () => number | undefined;
    },
  ) {
    this.loopback = isLoopbackHost(o.host);
  }

  /** The origins whose pages are Sluice's own, the public URL's first. */
  origins(): string[] {
    const origins = [new URL(this.o.publicUrl()).origin];
    const port = this.o.port();
    if (this.loopback && port !== undefined) {
      for (const name of ['127.0.0.1', 'localhost', '[::1]']) origins.push(new URL(`http://${name}:${port}`).origin);
    }
    return [...new Set(origins)];
  }

  /** The Host header values this Sluice answers to when bound to loopback, the public URL's first. */
  hosts(): string[] {
    return this.origins().flatMap((origin) => hostOf(origin) ?? []);
  }

  /**
   * Whether a request with this Host header may be answered. Bound to loopback, only the names in
   * hosts(): a DNS-rebinding page's requests carry its own name, and are refused before any route
   * sees them, so it can read nothing — not even what needs no login. Bound to another address,
   * every Host passes (a proxy or a load balancer may send names Sluice cannot know); the Origin
   * check and the setup code guard that case.
   */
  hostAllowed(host: string | undefined): boolean {
    if (!this.loopback) return true;
    if (host === undefined) return false;
    const normalized = hostOf(`http://${host}`);
    if (normalized === undefined) return false;
    // A loopback name with another port or none (a script's `Host: 127.0.0.1`) passes too: a
    // rebinding page can only send a name whose DNS its attacker controls, never a loopback one.
    return this.hosts().includes(normalized) || isLoopbackHost(new URL(`http://${normalized}`).hostname);
  }
}
