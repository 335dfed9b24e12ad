'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { createRuleAction, updateRuleAction } from '@/app/(dashboard)/alerts/actions';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { DialogActions } from '@/components/forms/dialog-actions';
import { INPUT_CLASSES, TextField } from '@/components/forms/text-field';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { ALERT_KINDS, SEVERITIES, STATS_OF_KIND, type AlertKind, type AlertStat, type Severity } from '@/lib/engine/alerts/alert-stat';
import { useAlertPreview, type AlertRule } from '@/lib/queries/use-alerts';
import { formatSpan } from '@/lib/ui/time-range';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';
import { KIND_LABELS, KNOWN_SERIES, STAT_LABELS, unitOf } from './alert-units';

const SERIES_RE = /^[a-z][a-z0-9_.-]{0,63}$/;
const MIN = 60_000;
const RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
];

type Draft = {
  name: string;
  series: string;
  dim: string;
  kind: AlertKind;
  stat: AlertStat;
  threshold: string;
  windowMin: string;
  forMin: string;
  severity: Severity;
  enabled: boolean;
};

const NEW: Draft = { name: '', series: 'download', dim: '', kind: 'maximum', stat: 'p95', threshold: '', windowMin: '5', forMin: '2', severity: 'warning', enabled: true };

function draftOf(rule: AlertRule | null): Draft {
  if (!rule) return NEW;
  return {
    name: rule.name,
    series: rule.series,
    dim: rule.dim,
    kind: rule.kind,
    stat: rule.stat,
    threshold: String(rule.threshold),
    windowMin: String(rule.window_ms / MIN),
    forMin: String(rule.for_ms / MIN),
    severity: rule.severity,
    enabled: rule.enabled,
  };
}

const UNIT_HINT = { ms: 'in milliseconds', bytes: 'in bytes', count: 'a number of events', percent: 'a percentage, 0–100', ratio: 'a ratio (×)' } as const;

type RuleEditorProps = { open: boolean; rule: AlertRule | null; onClose: () => void; onSaved: () => Promise<unknown> };

/** Create or edit a rule, with a preview of what it measures and where the threshold sits. */
export function RuleEditorDialog({ open, rule, onClose, onSaved }: RuleEditorProps) {
  return (
    <Dialog open={open} title={rule ? `Edit rule ${rule.name}` : 'New alert rule'} onClose={onClose}>
      {/* Keyed so the form starts from the rule each time the dialog opens. */}
      {open && <RuleForm key={rule?.id ?? 'new'} rule={rule} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function RuleForm({ rule, onClose, onSaved }: { rule: AlertRule | null; onClose: () => void; onSaved: () => Promise<unknown> }) {
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const [rangeMs, setRangeMs] = useState(RANGES[1].ms);
  // The current minute included: the last point is what the next evaluation sees.
  const [now] = useState(() => Math.ceil(Date.now() / MIN) * MIN);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((prev) => ({ ...prev, [key]: value }));
  const setKind = (kind: AlertKind) => setD((prev) => ({ ...prev, kind, stat: STATS_OF_KIND[kind].includes(prev.stat) ? prev.stat : STATS_OF_KIND[kind][0] }));

  const windowMs = Math.round(Number(d.windowMin) * MIN);
  const validSeries = SERIES_RE.test(d.series);
  const preview = useAlertPreview(
    validSeries && windowMs >= MIN ? { series: d.series, dim: d.dim, stat: d.stat, window: windowMs, from: now - rangeMs, to: now } : null,
  );
  const unit = unitOf(d.series, d.stat);
  const scale = unit === 'percent' ? 0.01 : 1;
  const threshold = d.threshold.trim() === '' ? null : Number(d.threshold);

  const save = useMutation({
    mutationFn: () => {
      const input = {
        name: d.name.trim(),
        series: d.series.trim(),
        dim: d.dim,
        kind: d.kind,
        stat: d.stat,
        threshold: Number(d.threshold),
        window_ms: windowMs,
        for_ms: Math.round(Number(d.forMin) * MIN),
        severity: d.severity,
        enabled: d.enabled,
      };
      return rule ? unwrapAction(updateRuleAction({ id: rule.id, ...input })) : unwrapAction(createRuleAction(input));
    },
    onSuccess: async () => {
      await onSaved();
      onClose();
    },
  });

  const points = (preview.data?.points ?? []).map((p) => ({ t: p.t, value: p.value === null ? null : p.value * scale }));
  const hasData = points.some((p) => p.value !== null && p.value !== 0);

  return (
    <form
      className="max-h-[75vh] space-y-4 overflow-y-auto pr-1"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <TextField label="Name" value={d.name} onChange={(e) => set('name', e.target.value)} required maxLength={100} placeholder="e.g. Slow downloads" errors={fieldErrors(save.error, 'name')} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Series"
          value={d.series}
          onChange={(e) => set('series', e.target.value.trim())}
          list="alert-series"
          required
          hint="download, api, job, gauge.storage_bytes…"
          errors={fieldErrors(save.error, 'series')}
        />
        <datalist id="alert-series">
          {KNOWN_SERIES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </datalist>
        <TextField
          label="Dimension (optional)"
          value={d.dim}
          onChange={(e) => set('dim', e.target.value)}
          placeholder="e.g. p:12 or route:GET /api/v1/search"
          hint="Empty for the whole series."
          errors={fieldErrors(save.error, 'dim')}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <Select label="Kind" value={d.kind} onChange={(v) => setKind(v as AlertKind)}>
          {ALERT_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </Select>
        <Select label="Stat" value={d.stat} onChange={(v) => set('stat', v as AlertStat)} errors={fieldErrors(save.error, 'stat')}>
          {STATS_OF_KIND[d.kind].map((s) => (
            <option key={s} value={s}>
              {STAT_LABELS[s]}
            </option>
          ))}
        </Select>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label="Threshold"
          type="number"
          step="any"
          value={d.threshold}
          onChange={(e) => set('threshold', e.target.value)}
          required
          hint={UNIT_HINT[unit]}
          errors={fieldErrors(save.error, 'threshold')}
        />
        <TextField
          label="Window (minutes)"
          type="number"
          min={1}
          max={43200}
          step={1}
          value={d.windowMin}
          onChange={(e) => set('windowMin', e.target.value)}
          required
          hint="Measured over this span."
          errors={fieldErrors(save.error, 'window_ms')}
        />
        <TextField
          label="For (minutes)"
          type="number"
          min={0}
          max={1440}
          step={1}
          value={d.forMin}
          onChange={(e) => set('forMin', e.target.value)}
          required
          hint="Held this long before firing."
          errors={fieldErrors(save.error, 'for_ms')}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <Select label="Severity" value={d.severity} onChange={(v) => set('severity', v as Severity)}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
        <label className="mt-6 flex items-center gap-2 text-sm text-slate-900">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} className="size-4" />
          Enabled
        </label>
      </div>

      <section aria-label="Preview" className="space-y-2">
        <div className="flex items-center justify-between gap-2">
          <h3 className="text-sm font-medium text-slate-900">Preview</h3>
          <select aria-label="Preview range" value={rangeMs} onChange={(e) => setRangeMs(Number(e.target.value))} className={`${INPUT_CLASSES} w-40`}>
            {RANGES.map((r) => (
              <option key={r.ms} value={r.ms}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        {preview.error ? (
          <ErrorState title="Could not load the preview" error={preview.error} />
        ) : (
          <TimeSeriesChart
            title={`${STAT_LABELS[d.stat]} of ${d.series || '…'} over ${formatSpan(windowMs || MIN)} windows`}
            data={points}
            series={[{ key: 'value', label: d.stat }]}
            unit={unit}
            height={180}
            threshold={threshold !== null && Number.isFinite(threshold) ? { value: threshold * scale, label: 'threshold' } : undefined}
            empty={
              !validSeries
                ? 'Enter a series name to preview it.'
                : preview.isPending
                  ? 'Loading…'
                  : !hasData
                    ? `No ${d.series} data in this range yet: the line appears as events of the series are recorded.`
                    : undefined
            }
          />
        )}
      </section>

      {save.error && <ErrorState title="Could not save the rule" error={save.error} />}
      <DialogActions submitLabel={rule ? 'Save rule' : 'Create rule'} pending={save.isPending} onCancel={onClose} />
    </form>
  );
}

function Select({ label, value, onChange, children, errors }: { label: string; value: string; onChange: (v: string) => void; children: ReactNode; errors?: string[] }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!errors || undefined} className={`mt-1.5 ${INPUT_CLASSES}`}>
        {children}
      </select>
      {errors && <p className="mt-1 text-xs text-red-700">{errors.join(' ')}</p>}
    </div>
  );
}
