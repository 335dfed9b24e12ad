'use server';

import { z } from 'zod';
import { addMirror, mirrorUrlForLog, removeMirror, setRegionRanges, setSelectionStrategy, updateMirror } from '@/lib/engine/mirrors';
import { action } from '@/lib/server/action';
import { ZMirrorIdParams, ZMirrorInput, ZRegionRange, ZStrategy, ZUpdateMirrorAction } from '@/lib/validations/mirrors';

export const addMirrorAction = action({
  permission: 'ManageMirrors',
  input: ZMirrorInput,
  audit: { action: 'mirror.add', target: (i) => mirrorUrlForLog(i.url) },
  run: (i, ctx) => addMirror(ctx.engine, i),
});

export const updateMirrorAction = action({
  permission: 'ManageMirrors',
  input: ZUpdateMirrorAction,
  audit: { action: 'mirror.update', target: (i) => `mirror ${i.id}` },
  run: ({ id, ...patch }, ctx) => updateMirror(ctx.engine, id, patch),
});

export const removeMirrorAction = action({
  permission: 'ManageMirrors',
  input: ZMirrorIdParams,
  audit: { action: 'mirror.remove', target: (i) => `mirror ${i.id}` },
  run: (i, ctx) => removeMirror(ctx.engine, i.id),
});

export const setStrategyAction = action({
  permission: 'ManageMirrors',
  input: z.object({ strategy: ZStrategy }),
  audit: { action: 'mirror.settings', target: (i) => `strategy ${i.strategy}` },
  run: (i, ctx) => ({ strategy: setSelectionStrategy(ctx.engine, i.strategy) }),
});

export const setRegionRangesAction = action({
  permission: 'ManageMirrors',
  input: z.object({ region_ranges: z.array(ZRegionRange).max(10_000) }),
  audit: { action: 'mirror.settings', target: (i) => `${i.region_ranges.length} region ranges` },
  run: (i, ctx) => ({ region_ranges: setRegionRanges(ctx.engine, i.region_ranges) }),
});
