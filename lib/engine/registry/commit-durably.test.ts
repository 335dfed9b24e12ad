import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempEngine } from '../test-support/temp-engine';
import { commitDurably } from './commit-durably';

let engine: Awaited<ReturnType<typeof tempEngine>>;
beforeEach(async () => {
  engine = await tempEngine();
});
afterEach(async () => {
  await engine.cleanup();
});

const synchronous = () => engine.db.$client.pragma('synchronous', { simple: true });
const NORMAL = 1;
const FULL = 2;

it('commits with synchronous=FULL and restores the connection’s NORMAL afterwards', () => {
  expect(synchronous()).toBe(NORMAL);
  const inside = commitDurably(engine.db, (tx) => {
    tx.run(sql`INSERT INTO settings (key, value, updated_at) VALUES ('durable', '1', 0)`);
    return synchronous();
  });
  expect(inside).toBe(FULL);
  expect(synchronous()).toBe(NORMAL);
  expect(engine.db.get<{ value: string }>(sql`SELECT value FROM settings WHERE key = 'durable'`)?.value).toBe('1');
});

it('restores NORMAL and rolls back when the transaction throws', () => {
  expect(() =>
    commitDurably(engine.db, (tx) => {
      tx.run(sql`INSERT INTO settings (key, value, updated_at) VALUES ('rolled-back', '1', 0)`);
      throw new Error('boom');
    }),
  ).toThrow('boom');
  expect(synchronous()).toBe(NORMAL);
  expect(engine.db.get(sql`SELECT value FROM settings WHERE key = 'rolled-back'`)).toBeUndefined();
});
