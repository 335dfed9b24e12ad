import { tempEngine } from './lib/engine/test-support/temp-engine';
import { publishSample } from './lib/engine/test-support/registry-fixtures';
import { insertDownloadEvents } from './bench/lib/download-events';
import path from 'node:path';
(async () => {
  const e = await tempEngine();
  for (let i = 0; i < 20; i++) for (let v = 1; v <= 3; v++) await publishSample(e, `metrics-bench-${i}`, `${v}.0.0`);
  e.close();
  const r = insertDownloadEvents(path.join(e.dataDir, 'torsh.db'), Number(process.argv[2]), Date.now(), 30);
  console.log(e.dataDir, r);
})();
