import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents } from '@/db/schema';
import { tempEngine } from '../test-support/temp-engine';
import { auditCsv, listAudit } from './list-audit';

let engine: Awaited<ReturnType<typeof tempEngine>>;

beforeEach(async () => {
  engine = await tempEngine();
  // 2,500 events, ten per millisecond, so pages end in the middle of equal timestamps.
  const rows = Array.from({ length: 2_500 }, (_, i) => ({
    actor: i % 2 ? 'user:alice' : 'user:bob',
    action: 'version.publish',
    target: `m@1.0.${i}`,
    result: 'ok' as const,
    createdAt: 1_000 + Math.floor(i / 10),
  }));
  for (let i = 0; i < rows.length; i += 500) engine.db.insert(auditEvents).values(rows.slice(i, i + 500)).run();
});
afterEach(async () => {
  await engine.cleanup();
});

async function csvIds(filter: Parameters<typeof auditCsv>[1], pageSize: number): Promise<number[]> {
  let text = '';
  for await (const chunk of auditCsv(engine, filter, pageSize)) text += chunk;
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(JSON.parse(line.split(',')[0])));
}

describe('audit CSV export', () => {
  it('streams every event exactly once, newest first, across pages that split equal timestamps', async () => {
    const ids = await csvIds({}, 333);
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids).size).toBe(2_500);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids).toEqual(listAudit(engine, {}, 1, 2_500).events.map((e) => e.id));
  });

  it('applies the filter on every page', async () => {
    const ids = await csvIds({ actor: 'alice' }, 100);
    expect(ids).toHaveLength(1_250);
    expect(listAudit(engine, { actor: 'alice' }, 1, 1).total).toBe(1_250);
  });

  it('an empty result is the header line alone', async () => {
    let text = '';
    for await (const chunk of auditCsv(engine, { actor: 'nobody' })) text += chunk;
    expect(text).toBe('id,time,actor,action,target,result,error_code,client_addr\n');
  });
});
