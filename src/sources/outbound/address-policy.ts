import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses a URL typed by a user may make Sluice connect to. Pure: no DNS, no sockets;
 * guarded-fetch.ts applies it to every address it is about to connect to.
 *
 * Only public unicast addresses pass. With `allowPrivate` (SLUICE_ALLOW_PRIVATE_URLS=1) the local
 * network passes too: loopback, private (RFC 1918), link-local, unique-local, carrier-grade NAT.
 * Cloud metadata addresses never pass, even then: reading a file from a LAN server is a reason to
 * set the flag, handing a cloud instance's credentials to whoever can type a URL never is.
 * Multicast, broadcast, unspecified and reserved addresses never pass either (nothing there serves
 * a file, and 0.0.0.0 reaches this very machine on Linux).
 */
export interface AddressPolicy {
  allowPrivate: boolean;
}

export type AddressVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** What the address is, for the message: "a loopback address". */
      kind: string;
      /** Whether SLUICE_ALLOW_PRIVATE_URLS=1 would let it through (the message then says so). */
      privateNetwork: boolean;
    };

/**
 * Addresses where clouds serve instance credentials. Most of them lie in ranges refused anyway;
 * they are listed so that SLUICE_ALLOW_PRIVATE_URLS cannot open them. This is the one table kept
 * by hand: ipaddr.js knows address ranges, not vendors. (AWS, GCP, Azure, DigitalOcean, OpenStack:
 * 169.254.169.254 and AWS's IPv6 fd00:ec2::254; AWS ECS and EKS credentials: 169.254.170.2,
 * 169.254.170.23 and fd00:ec2::23; Alibaba: 100.100.100.200; Oracle: 192.0.0.192; Azure's
 * WireServer: 168.63.129.16, a public-looking address that answers only inside Azure.)
 */
const METADATA_ADDRESSES = [
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
  '192.0.0.192',
  '168.63.129.16',
  'fd00:ec2::254',
  'fd00:ec2::23',
].map((text) => ipaddr.parse(text).toNormalizedString());

/** ipaddr.js range names that SLUICE_ALLOW_PRIVATE_URLS=1 lets through, with how messages name them. */
const PRIVATE_NETWORK: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local (fc00::/7) address',
  deprecatedSiteLocal: 'a site-local (fec0::/10) address',
  carrierGradeNat: 'a carrier-grade NAT (100.64.0.0/10) address',
};

/** How messages name the other refused ranges; any range not named here is "a reserved address". */
const NEVER: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  teredo: 'a Teredo tunnel address',
};

/**
 * IPv6 ranges that carry an IPv4 address, and where: the address they really reach is that IPv4
 * one (a NAT64 gateway or 6to4 relay forwards to it), so it is the one judged. ::ffff:0:0/96
 * (IPv4-mapped) is the form Node itself uses for IPv4 on a dual-stack socket.
 */
const EMBEDDED_IPV4: Record<string, (bytes: number[]) => number[]> = {
  ipv4Mapped: (bytes) => bytes.slice(12, 16),
  rfc6145: (bytes) => bytes.slice(12, 16),
  rfc6052: (bytes) => bytes.slice(12, 16),
  '6to4': (bytes) => bytes.slice(2, 6),
};

/** Whether `address` (an IPv4 or IPv6 address in any form ipaddr.js reads) may be connected to. */
export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    // Only ever called with what a resolver or WHATWG URL produced; anything else is refused.
    return { allowed: false, kind: 'not an IP address', privateNetwork: false };
  }
  return judge(parsed, policy);
}

function judge(address: ipaddr.IPv4 | ipaddr.IPv6, policy: AddressPolicy): AddressVerdict {
  if (METADATA_ADDRESSES.includes(address.toNormalizedString())) {
    return { allowed: false, kind: 'a cloud metadata address', privateNetwork: false };
  }
  const range = address.range();
  if (address.kind() === 'ipv6') {
    const embedded = EMBEDDED_IPV4[range];
    if (embedded !== undefined) return judge(ipaddr.fromByteArray(embedded(address.toByteArray())), policy);
    // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291 since 2006): nothing legitimate uses it,
    // and what it reaches depends on the host's routes. ipaddr.js files it under unicast.
    if (
      range === 'unicast' &&
      address
        .toByteArray()
        .slice(0, 12)
        .every((byte) => byte === 0)
    ) {
      return { allowed: false, kind: 'an IPv4-compatible (deprecated) address', privateNetwork: false };
    }
  }
  if (range === 'unicast') return { allowed: true };
  const privateKind = PRIVATE_NETWORK[range];
  if (privateKind !== undefined)
    return policy.allowPrivate ? { allowed: true } : { allowed: false, kind: privateKind, privateNetwork: true };
  return { allowed: false, kind: NEVER[range] ?? 'a reserved address', privateNetwork: false };
}
