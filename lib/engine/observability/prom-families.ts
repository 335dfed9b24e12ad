import type { Registry } from 'prom-client';

type Labels = Record<string, string>;
type Sample = { metricName?: string; labels: Labels; value: number };

/**
 * Counter and histogram families that prom-client's registry formats (it takes any object with a
 * name, help, type and get()). They exist because prom-client's own inc()/observe() validate and
 * hash the label object on every call — measured as most of what recording an event cost. Here a
 * cell is found by a caller-built key (bounded: statuses, route patterns, job kinds) and updated
 * in place; its labels are derived from the key once, when the cell is created.
 */
abstract class Family<Cell extends { labels: Labels }> {
  readonly aggregator = 'sum';
  protected cells = new Map<string, Cell>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  protected cell(key: string, labels: (key: string) => Labels, make: (labels: Labels) => Cell): Cell {
    let c = this.cells.get(key);
    if (!c) this.cells.set(key, (c = make(labels(key))));
    return c;
  }

  protected abstract samples(): Sample[];

  get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() };
  }

  reset(): void {
    this.cells.clear();
  }
}

export class CounterFamily extends Family<{ labels: Labels; value: number }> {
  constructor(name: string, help: string, registry: Registry) {
    super(name, help, 'counter', registry);
  }

  inc(key: string, labels: (key: string) => Labels, n = 1): void {
    this.cell(key, labels, (l) => ({ labels: l, value: 0 })).value += n;
  }

  protected samples(): Sample[] {
    if (this.cells.size === 0) return [];
    return [...this.cells.values()].map((c) => ({ labels: c.labels, value: c.value }));
  }
}

type HistogramCell = { labels: Labels; buckets: Float64Array; sum: number; count: number };

export class HistogramFamily extends Family<HistogramCell> {
  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, 'histogram', registry);
  }

  observe(key: string, labels: (key: string) => Labels, value: number): void {
    const c = this.cell(key, labels, (l) => ({ labels: l, buckets: new Float64Array(this.bounds.length), sum: 0, count: 0 }));
    const i = this.bounds.findIndex((b) => value <= b);
    if (i >= 0) c.buckets[i]++;
    c.sum += value;
    c.count++;
  }

  protected samples(): Sample[] {
    const out: Sample[] = [];
    for (const c of this.cells.values()) {
      let cumulative = 0;
      this.bounds.forEach((b, i) => {
        cumulative += c.buckets[i];
        out.push({ metricName: `${this.name}_bucket`, labels: { ...c.labels, le: String(b) }, value: cumulative });
      });
      out.push({ metricName: `${this.name}_bucket`, labels: { ...c.labels, le: '+Inf' }, value: c.count });
      out.push({ metricName: `${this.name}_sum`, labels: c.labels, value: c.sum });
      out.push({ metricName: `${this.name}_count`, labels: c.labels, value: c.count });
    }
    return out;
  }
}
