import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWrkOutput } from './wrk';

describe('parseWrkOutput', () => {
  it('reads the figures from the Lua report line, not the human summary', () => {
    const out = [
      'Running 10s test @ http://127.0.0.1:1/x',
      '  Non-2xx or 3xx responses: 999',
      'TORSH_WRK_JSON {"requests":5000,"duration_us":10000000,"bytes":5242880000,"connect":0,"read":2,"write":0,"status":7,"timeout":1,"p50_us":12000,"p99_us":90500}',
    ].join('\n');
    const r = parseWrkOutput(out);
    assert.equal(r.reqPerSec, 500);
    assert.equal(r.bytesPerSec, 524288000);
    assert.equal(r.non2xx, 7);
    assert.equal(r.socketErrors, 3);
    assert.equal(r.p50Ms, 12);
    assert.equal(r.p99Ms, 90.5);
  });

  it('fails when wrk printed no report line', () => {
    assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused'), /no report line/);
  });
});
