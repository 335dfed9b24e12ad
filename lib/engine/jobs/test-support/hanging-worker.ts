/**
 * A worker process for the lease test: it runs the real worker on the data dir given as argv[2],
 * prints `claimed <id> <attempts>` when its handler starts a job, and then hangs until killed.
 */
import { createEngine } from '../../engine';
import { startWorker } from '../worker';

const engine = createEngine({ dataDir: process.argv[2] });
startWorker(
  engine,
  [
    {
      kind: 'lease-test',
      leaseMs: Number(process.argv[3] ?? 60_000),
      run: ({ job }) => {
        process.stdout.write(`claimed ${job.id} ${job.attempts}\n`);
        return new Promise(() => {});
      },
    },
  ],
  { workerId: `child-${process.pid}`, pollMs: 20 },
);

// The worker's timers are unref'd (it never holds a process open by itself): this process lives until killed.
setInterval(() => {}, 1 << 30);
