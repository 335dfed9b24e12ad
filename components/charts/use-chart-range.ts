'use client';

import { useState } from 'react';
import { chartStep, RANGE_PRESETS, type RangePreset } from '@/lib/ui/time-range';

/** A chart section's range picker state: the chosen preset, its step and the bounds it asks for (ending now). */
export function useChartRange(initial: RangePreset) {
  const [range, setRange] = useState<RangePreset>(initial);
  const preset = RANGE_PRESETS.find((p) => p.id === range)!;
  const step = chartStep(preset.ms);
  const to = Date.now();
  const bounds = { from: to - preset.ms, to, step };
  return { range, setRange, preset, step, bounds };
}
