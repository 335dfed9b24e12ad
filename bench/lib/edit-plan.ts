// The "5 % change" between two versions of a model: a few overwrites spread through the file and
// one insertion that shifts everything after it (what a fine-tune plus an added layer looks like).

export type Edit = { kind: 'overwrite' | 'insert'; at: number; length: number };

/**
 * Edits changing `fraction` of `size` bytes: one insertion of a fifth of the changed bytes at 30 %
 * of the file, the rest as `overwrites` equal overwrites spread evenly; sorted by offset, disjoint.
 */
export function planEdits(size: number, fraction = 0.05, overwrites = 4): Edit[] {
  const changed = Math.floor(size * fraction);
  const inserted = Math.floor(changed / 5 / 4) * 4;
  const each = Math.floor((changed - inserted) / overwrites / 4) * 4;
  const edits: Edit[] = [{ kind: 'insert', at: Math.floor((size * 0.3) / 4) * 4, length: inserted }];
  for (let k = 0; k < overwrites; k++) {
    const at = Math.floor((size * (k + 0.5)) / overwrites / 4) * 4;
    edits.push({ kind: 'overwrite', at: Math.min(at, size - each), length: each });
  }
  return edits.filter((e) => e.length > 0).sort((a, b) => a.at - b.at);
}

/** Bytes the edits change (overwritten plus inserted). */
export const changedBytes = (edits: Edit[]) => edits.reduce((n, e) => n + e.length, 0);
