import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type ClientAddress = (req: IncomingMessage) => string | null;

const PRESETS = 'loopback, linklocal, uniquelocal';

/**
 * How to find a request's client address, from a TORSH_TRUST_PROXY value. Unset, empty, `0` or
 * `false`: the socket's peer; X-Forwarded-For is ignored. Otherwise a comma-separated list of
 * the proxies in front, as addresses, CIDRs or proxy-addr presets (loopback, linklocal,
 * uniquelocal); `1` and `true` mean `loopback`. The client is the right-most X-Forwarded-For
 * entry not added by a trusted proxy: entries further left are written by the client itself.
 * Call it once at start (`createClientAddress(process.env.TORSH_TRUST_PROXY)`): a bad setting
 * throws there, before any request.
 */
export function createClientAddress(setting: string | undefined): ClientAddress {
  const trust = compileTrust(setting);
  if (!trust) return (req) => req.socket.remoteAddress ?? null;
  return (req) => proxyAddr(req, trust) ?? null;
}

/** Whether the socket's peer is one of the trusted proxies (never, when none is configured). */
export function createProxyTrust(setting: string | undefined): (req: IncomingMessage) => boolean {
  const trust = compileTrust(setting);
  return (req) => trust !== null && req.socket.remoteAddress !== undefined && trust(req.socket.remoteAddress, 0);
}

function compileTrust(setting: string | undefined): ReturnType<typeof proxyAddr.compile> | null {
  const value = setting?.trim().toLowerCase() ?? '';
  if (['', '0', 'false'].includes(value)) return null;
  const proxies = ['1', 'true'].includes(value)
    ? ['loopback']
    : value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
  try {
    return proxyAddr.compile(proxies);
  } catch (err) {
    throw new Error(`TORSH_TRUST_PROXY=${JSON.stringify(setting)}: ${(err as Error).message} (expected addresses, CIDRs or ${PRESETS})`);
  }
}
