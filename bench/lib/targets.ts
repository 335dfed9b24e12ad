// PASS/MISS against a target, with the gap spelled out.
import { fmt } from './format';

export type Goal = { atLeast?: number; atMost?: number; unit: '×' | 'MB/s' | 'MB' };

export type Verdict = { pass: boolean; text: string };

function value(n: number, unit: Goal['unit']): string {
  return unit === '×' ? `${fmt(n, 2)}×` : `${fmt(n)} ${unit}`;
}

export function goalText(goal: Goal): string {
  return goal.atLeast !== undefined ? `≥ ${value(goal.atLeast, goal.unit)}` : `≤ ${value(goal.atMost ?? 0, goal.unit)}`;
}

/** `problems` (e.g. "12 non-2xx") make a MISS whatever the figure. */
export function judge(measured: number, goal: Goal, problems: string[] = []): Verdict {
  const extra = problems.length > 0 ? `; ${problems.join(', ')}` : '';
  if (goal.atLeast !== undefined) {
    const target = goal.atLeast;
    const ok = measured >= target;
    const gap = ok
      ? `${fmt((measured / target - 1) * 100)} % above`
      : `by ${value(target - measured, goal.unit)} (${fmt((1 - measured / target) * 100)} % short)`;
    return verdict(ok && problems.length === 0, ok ? `, ${gap}` : ` ${gap}`, extra);
  }
  const target = goal.atMost ?? 0;
  const ok = measured <= target;
  const gap = ok ? `${value(target - measured, goal.unit)} under` : `by ${value(measured - target, goal.unit)} (${fmt((measured / target - 1) * 100)} % over)`;
  return verdict(ok && problems.length === 0, ok ? `, ${gap}` : ` ${gap}`, extra);
}

function verdict(pass: boolean, gap: string, extra: string): Verdict {
  return { pass, text: `${pass ? 'PASS' : 'MISS'}${gap}${extra}` };
}
