// Where a webhook may point (SSRF). A webhook makes this server send requests
// to an address someone else chose, so:
//   - the URL is https, or http to a loopback host (a receiver on this
//     machine, for development and tests); no credentials in it;
//   - every address the host resolves to must be a public unicast address:
//     loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
//     (169.254/16 — cloud metadata — and fe80::/10), carrier-grade NAT,
//     reserved, multicast and the like are refused, unless
//     WEBHOOK_ALLOW_PRIVATE_TARGETS=true (a receiver inside your own network,
//     or the tests' loopback receiver). So a loopback URL passes the syntax
//     rule but is delivered to only where private targets are allowed;
//   - the check runs inside the connection's own DNS lookup, on the addresses
//     actually connected to (no second lookup an attacker's DNS could answer
//     differently), and on literal IP addresses before connecting;
//   - redirects are never followed (a 3xx is a failed attempt) and every
//     attempt has a timeout (src/webhooks/deliver.ts).
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

/** A URL's hostname without the brackets of an IPv6 literal. */
export const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname).toLowerCase();
  if (LOOPBACK_NAMES.has(host)) return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}

/** Why a webhook URL is not acceptable as written, or null. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (url.username || url.password) return 'a webhook URL may not carry credentials: receivers check the signature';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return 'a webhook URL must be https (plain http only to a loopback address such as 127.0.0.1)';
}

/** Why the server may not connect to this IP address, or null. */
export function addressProblem(address: string, allowPrivate: boolean): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return null;
  // Even where private targets are allowed, these are never a receiver.
  if (allowPrivate && !['unspecified', 'multicast', 'broadcast'].includes(range)) return null;
  return `${address} is a ${range} address; webhooks are delivered to public addresses only (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows private ones)`;
}

/** Refused before connecting: the target's address is not allowed. */
export class TargetRefusedError extends Error {
  readonly code = 'TARGET_REFUSED';
}

/** The problem with a literal IP host, checked before connecting (no lookup happens for those). */
export function literalHostProblem(hostname: string, allowPrivate: boolean): string | null {
  const host = bareHost(hostname);
  if (isIP(host)) return addressProblem(host, allowPrivate);
  if (LOOPBACK_NAMES.has(host.toLowerCase())) return addressProblem('127.0.0.1', allowPrivate);
  return null;
}

/** A DNS lookup for sockets that fails when any address of the host is not allowed. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => addressProblem(a.address, allowPrivate)).find(Boolean);
      if (refused || addresses.length === 0) {
        return callback(new TargetRefusedError(refused ?? `${hostname} has no address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
