import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goalText, judge } from './targets';

describe('judge', () => {
  it('passes a ratio at or above its target and says by how much', () => {
    assert.deepEqual(judge(0.6, { atLeast: 0.5, unit: '×' }), { pass: true, text: 'PASS, 20 % above' });
    assert.equal(judge(0.5, { atLeast: 0.5, unit: '×' }).pass, true);
  });

  it('misses a ratio below its target with the gap in units and percent', () => {
    assert.deepEqual(judge(0.14, { atLeast: 0.5, unit: '×' }), { pass: false, text: 'MISS by 0.36× (72 % short)' });
  });

  it('misses a figure over a ceiling with the excess', () => {
    assert.deepEqual(judge(272, { atMost: 250, unit: 'MB' }), { pass: false, text: 'MISS by 22 MB (9 % over)' });
    assert.deepEqual(judge(200, { atMost: 250, unit: 'MB' }), { pass: true, text: 'PASS, 50 MB under' });
  });

  it('misses a good figure that came with failed requests', () => {
    const v = judge(0.9, { atLeast: 0.5, unit: '×' }, ['3 non-2xx']);
    assert.equal(v.pass, false);
    assert.equal(v.text, 'MISS, 80 % above; 3 non-2xx');
  });

  it('writes the goal', () => {
    assert.equal(goalText({ atLeast: 1000, unit: 'MB/s' }), '≥ 1,000 MB/s');
    assert.equal(goalText({ atMost: 250, unit: 'MB' }), '≤ 250 MB');
  });
});
