import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine } from '../test-support/temp-engine';
import { listRegionRanges, parseCidr, regionForAddress, setRegionRanges } from './region-ranges';

const RANGES = [
  { cidr: '10.0.0.0/8', region: 'eu-west' },
  { cidr: '10.1.0.0/16', region: 'eu-north' },
  { cidr: '192.168.1.7', region: 'lab' },
  { cidr: '2001:db8::/32', region: 'us-east' },
];

describe('regionForAddress', () => {
  it.each([
    ['10.2.3.4', 'eu-west'],
    ['10.1.3.4', 'eu-north'],
    ['::ffff:10.1.3.4', 'eu-north'],
    ['192.168.1.7', 'lab'],
    ['192.168.1.8', null],
    ['2001:db8:1::5', 'us-east'],
    ['2001:db9::1', null],
    ['not-an-address', null],
    [null, null],
  ])('%s → %s', (addr, region) => {
    expect(regionForAddress(RANGES, addr)).toBe(region);
  });
});

describe('parseCidr', () => {
  it.each(['10.0.0.0/33', '10.0.0/8', 'fe80::/129', '1.2.3.4/8/1', 'x', '10.0.0.0/ 8'])('refuses %s', (cidr) => expect(parseCidr(cidr)).toBeNull());
});

describe('setRegionRanges', () => {
  let engine: Awaited<ReturnType<typeof tempEngine>>;
  beforeEach(async () => {
    engine = await tempEngine();
  });
  afterEach(() => engine.cleanup());

  it('replaces the table, and refuses a bad range without changing it', () => {
    setRegionRanges(engine, RANGES);
    expect(listRegionRanges(engine).map((r) => r.cidr)).toEqual(RANGES.map((r) => r.cidr));
    expect(() => setRegionRanges(engine, [{ cidr: '10.0.0.0/8', region: 'ok' }, { cidr: '300.1.1.1/8', region: 'x' }])).toThrow(/range 2/);
    expect(listRegionRanges(engine)).toHaveLength(4);
    setRegionRanges(engine, []);
    expect(listRegionRanges(engine)).toEqual([]);
  });
});
