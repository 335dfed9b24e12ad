import { BlockList, isIP } from 'node:net';
import { asc } from 'drizzle-orm';
import { regionRanges } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';

export type RegionRangeView = { id: number; cidr: string; region: string };
type Parsed = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

/** Region names as clients send them (`?region=`, X-Torsh-Region) and mirrors are tagged with. */
export const REGION_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** `10.0.0.0/8`, `2001:db8::/32`; a bare address is a /32 or /128. */
export function parseCidr(cidr: string): Parsed | null {
  const [address, bits, ...rest] = cidr.trim().split('/');
  if (rest.length > 0) return null;
  const v = isIP(address);
  if (v === 0) return null;
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

export function listRegionRanges(engine: Engine): RegionRangeView[] {
  return engine.db.select().from(regionRanges).orderBy(asc(regionRanges.id)).all().map((r) => ({ id: r.id, cidr: r.cidr, region: r.region }));
}

/** Replace the whole table (the page edits it as one list); every range is checked first. */
export function setRegionRanges(engine: Engine, ranges: { cidr: string; region: string }[]): RegionRangeView[] {
  ranges.forEach((r, i) => {
    if (!parseCidr(r.cidr)) throw new AppError('INVALID_INPUT', `range ${i + 1}: "${r.cidr.slice(0, 60)}" is not a CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)`, { field: `region_ranges.${i}.cidr` });
    if (!REGION_RE.test(r.region)) throw new AppError('INVALID_INPUT', `range ${i + 1}: region "${r.region.slice(0, 40)}" is lowercase letters, digits and "-"`, { field: `region_ranges.${i}.region` });
  });
  const now = engine.now();
  engine.db.transaction((tx) => {
    tx.delete(regionRanges).run();
    for (const r of ranges) tx.insert(regionRanges).values({ cidr: r.cidr.trim(), region: r.region, createdAt: now }).run();
  });
  return listRegionRanges(engine);
}

/** An IPv4 address written as IPv6 (`::ffff:10.1.2.3`, as dual-stack sockets report) is matched as IPv4. */
function normalizeAddress(addr: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  const a = mapped ? mapped[1] : addr;
  const v = isIP(a);
  return v === 0 ? null : { address: a, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The region of a client address by the configured ranges: the most specific range wins (a /24
 * inside a /8 decides for its addresses). node:net's BlockList does the matching.
 */
export function regionForAddress(ranges: readonly { cidr: string; region: string }[], addr: string | null): string | null {
  const client = addr ? normalizeAddress(addr) : null;
  if (!client) return null;
  let best: { region: string; prefix: number } | null = null;
  for (const r of ranges) {
    const p = parseCidr(r.cidr);
    if (!p || p.family !== client.family || (best && best.prefix >= p.prefix)) continue;
    const list = new BlockList();
    list.addSubnet(p.address, p.prefix, p.family);
    if (list.check(client.address, client.family)) best = { region: r.region, prefix: p.prefix };
  }
  return best?.region ?? null;
}
