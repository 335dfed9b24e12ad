import type { Db } from '@/db';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Run a transaction whose commit must survive a power loss (an acknowledged publish). The
 * connection runs with synchronous=NORMAL, which in WAL mode may lose the last commits when
 * power fails; FULL syncs the WAL at this commit. better-sqlite3 is synchronous, so nothing
 * else runs on the connection while the setting is raised.
 */
export function commitDurably<T>(db: Db, run: (tx: Tx) => T): T {
  const client = db.$client;
  const previous = client.pragma('synchronous', { simple: true }) as number;
  client.pragma('synchronous = FULL');
  try {
    return db.transaction(run);
  } finally {
    client.pragma(`synchronous = ${previous}`);
  }
}
