import { createServer, IncomingMessage, request, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientAddress } from './client-address';

/** A request as it reaches the origin: the socket's peer, and whatever X-Forwarded-For it carries. */
function requestFrom(peer: string | undefined, xff?: string): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  const req = new IncomingMessage(socket);
  if (xff !== undefined) req.headers['x-forwarded-for'] = xff;
  return req;
}

const CLIENT = '203.0.113.9';
const SPOOF = '6.6.6.6';

describe('client address behind proxies', () => {
  it.each<[setting: string | undefined, peer: string, xff: string | undefined, expected: string]>([
    // No proxy trusted: the socket peer, whatever the header says.
    [undefined, '198.51.100.4', `${SPOOF}`, '198.51.100.4'],
    ['', '198.51.100.4', `${SPOOF}`, '198.51.100.4'],
    ['0', '127.0.0.1', `${SPOOF}`, '127.0.0.1'],
    ['false', '127.0.0.1', `${SPOOF}`, '127.0.0.1'],
    // `1` / `true` (the old values) trust loopback proxies.
    ['1', '127.0.0.1', CLIENT, CLIENT],
    ['true', '::ffff:127.0.0.1', CLIENT, CLIENT],
    ['1', '::1', CLIENT, CLIENT],
    ['1', '198.51.100.4', CLIENT, '198.51.100.4'],
    // The left-most entry is the client's own claim: never believed past an untrusted hop.
    ['loopback', '127.0.0.1', `${SPOOF}, ${CLIENT}`, CLIENT],
    ['loopback', '127.0.0.1', `${SPOOF},${CLIENT}`, CLIENT],
    ['loopback', '127.0.0.1', `${SPOOF}, 10.0.0.7, ${CLIENT}`, CLIENT],
    // Several trusted hops, as CIDRs and single addresses.
    ['10.0.0.0/8, 192.168.1.5', '192.168.1.5', `${SPOOF}, ${CLIENT}, 10.0.0.7`, CLIENT],
    ['10.0.0.0/255.0.0.0', '10.1.2.3', `${SPOOF}, ${CLIENT}`, CLIENT],
    ['192.168.1.5', '192.168.1.6', CLIENT, '192.168.1.6'],
    ['uniquelocal', 'fd00::1', '2001:db8::5', '2001:db8::5'],
    ['linklocal', '169.254.0.9', CLIENT, CLIENT],
    ['LOOPBACK , 10.0.0.0/8', '127.0.0.1', `${SPOOF}, ${CLIENT}, 10.9.9.9`, CLIENT],
    // A trusted proxy without the header: the proxy itself; every hop trusted: the left-most.
    ['loopback', '127.0.0.1', undefined, '127.0.0.1'],
    ['loopback', '127.0.0.1', '127.0.0.2', '127.0.0.2'],
  ])('TORSH_TRUST_PROXY=%j, peer %s, X-Forwarded-For %j → %s', (setting, peer, xff, expected) => {
    expect(createClientAddress(setting)(requestFrom(peer, xff))).toBe(expected);
  });

  it('is null when the socket has no peer address (already closed)', () => {
    expect(createClientAddress(undefined)(requestFrom(undefined))).toBeNull();
    expect(createClientAddress('loopback')(requestFrom(undefined))).toBeNull();
  });

  it.each(['yes', 'loopback, proxy.internal', '10.0.0.0/33', '300.1.1.1'])('refuses the setting %j with a clear message', (setting) => {
    expect(() => createClientAddress(setting)).toThrowError(/^TORSH_TRUST_PROXY=.*\(expected addresses, CIDRs or loopback, linklocal, uniquelocal\)$/);
  });

  describe('on a real loopback connection', () => {
    let server: Server;
    let seen: Record<string, string | null>;
    const resolvers = { off: createClientAddress(undefined), loopback: createClientAddress('loopback') };
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen = { off: resolvers.off(req), loopback: resolvers.loopback(req) };
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('takes the right-most untrusted entry of the forwarded chain, never a spoofed left-most one', async () => {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) =>
        request({ host: '127.0.0.1', port, headers: { 'x-forwarded-for': `${SPOOF}, ${CLIENT}` } }, (res) => res.resume().on('end', resolve))
          .on('error', reject)
          .end(),
      );
      expect(seen).toEqual({ off: '127.0.0.1', loopback: CLIENT });
    });
  });
});
