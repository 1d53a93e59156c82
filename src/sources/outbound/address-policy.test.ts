import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAddress } from './address-policy.js';

// Pure classification: nothing here connects anywhere.

/** [address, what a refusal calls it (or 'allowed'), whether SLUICE_ALLOW_PRIVATE_URLS=1 lets it through]. */
const CASES: [string, string, boolean][] = [
  // Public unicast.
  ['8.8.8.8', 'allowed', true],
  ['93.184.215.14', 'allowed', true],
  ['2606:4700:4700::1111', 'allowed', true],
  ['2a00:1450:4001:82a::200e', 'allowed', true],
  // Loopback, in the spellings a resolver or WHATWG URL can hand over.
  ['127.0.0.1', 'a loopback address', true],
  ['127.255.255.254', 'a loopback address', true],
  ['::1', 'a loopback address', true],
  ['[::1]', 'a loopback address', true],
  ['0:0:0:0:0:0:0:1', 'a loopback address', true],
  ['::ffff:127.0.0.1', 'a loopback address', true],
  ['::ffff:7f00:1', 'a loopback address', true],
  ['[::ffff:7f00:1]', 'a loopback address', true],
  ['::ffff:0:7f00:1', 'a loopback address', true], // RFC 6145 translated
  // Forms ipaddr.js reads that WHATWG URL would have normalized already.
  ['2130706433', 'a loopback address', true],
  ['0x7f000001', 'a loopback address', true],
  ['0177.0.0.1', 'a loopback address', true],
  // Private (RFC 1918), also mapped into IPv6.
  ['10.0.0.1', 'a private (RFC 1918) address', true],
  ['172.16.0.1', 'a private (RFC 1918) address', true],
  ['172.31.255.255', 'a private (RFC 1918) address', true],
  ['192.168.1.1', 'a private (RFC 1918) address', true],
  ['::ffff:10.1.2.3', 'a private (RFC 1918) address', true],
  ['::ffff:c0a8:101', 'a private (RFC 1918) address', true],
  ['172.32.0.1', 'allowed', true],
  // Link-local, unique-local, site-local, carrier-grade NAT.
  ['169.254.1.1', 'a link-local address', true],
  ['fe80::1', 'a link-local address', true],
  ['fc00::1', 'a unique-local (fc00::/7) address', true],
  ['fd12:3456:789a::1', 'a unique-local (fc00::/7) address', true],
  ['fec0::1', 'a site-local (fec0::/10) address', true],
  ['100.64.0.1', 'a carrier-grade NAT (100.64.0.0/10) address', true],
  ['100.127.255.254', 'a carrier-grade NAT (100.64.0.0/10) address', true],
  // Cloud metadata: refused even with SLUICE_ALLOW_PRIVATE_URLS=1.
  ['169.254.169.254', 'a cloud metadata address', false],
  ['::ffff:169.254.169.254', 'a cloud metadata address', false],
  ['::ffff:a9fe:a9fe', 'a cloud metadata address', false],
  ['169.254.170.2', 'a cloud metadata address', false],
  ['fd00:ec2::254', 'a cloud metadata address', false],
  ['fd00:ec2:0:0:0:0:0:254', 'a cloud metadata address', false],
  ['100.100.100.200', 'a cloud metadata address', false],
  ['192.0.0.192', 'a cloud metadata address', false],
  ['168.63.129.16', 'a cloud metadata address', false],
  ['64:ff9b::a9fe:a9fe', 'a cloud metadata address', false],
  // Never anything to read.
  ['0.0.0.0', 'an unspecified address', false],
  ['0.1.2.3', 'an unspecified address', false],
  ['::', 'an unspecified address', false],
  ['255.255.255.255', 'a broadcast address', false],
  ['224.0.0.1', 'a multicast address', false],
  ['239.255.255.250', 'a multicast address', false],
  ['ff02::1', 'a multicast address', false],
  ['240.0.0.1', 'a reserved address', false],
  ['192.0.2.1', 'a reserved address', false],
  ['198.18.0.1', 'a reserved address', false],
  ['2001:db8::1', 'a reserved address', false],
  ['100::1', 'a reserved address', false],
  ['2001::1', 'a Teredo tunnel address', false],
  ['::7f00:1', 'an IPv4-compatible (deprecated) address', false],
  // NAT64 (RFC 6052, RFC 8215) and 6to4: judged by the IPv4 address they carry.
  ['64:ff9b::7f00:1', 'a loopback address', true],
  ['64:ff9b::a00:1', 'a private (RFC 1918) address', true],
  ['64:ff9b::808:808', 'allowed', true],
  ['64:ff9b:1::7f00:1', 'a loopback address', true],
  ['2002:7f00:1::1', 'a loopback address', true],
  ['2002:c0a8:101::1', 'a private (RFC 1918) address', true],
  ['2002:808:808::1', 'allowed', true],
  // Not an address at all: refused.
  ['localhost', 'not an IP address', false],
  ['', 'not an IP address', false],
];

describe('checkAddress', () => {
  for (const [address, expected, privateNetwork] of CASES) {
    it(`${address || '(empty)'}: ${expected}`, () => {
      const strict = checkAddress(address, { allowPrivate: false });
      if (expected === 'allowed') {
        assert.deepEqual(strict, { allowed: true });
        assert.deepEqual(checkAddress(address, { allowPrivate: true }), { allowed: true });
        return;
      }
      assert.deepEqual(strict, { allowed: false, kind: expected, privateNetwork });
      // SLUICE_ALLOW_PRIVATE_URLS=1 opens exactly the local network, nothing else.
      const lenient = checkAddress(address, { allowPrivate: true });
      assert.deepEqual(lenient, privateNetwork ? { allowed: true } : { allowed: false, kind: expected, privateNetwork: false });
    });
  }
});
