import { MirrorHealthPanel } from '@/components/mirrors/mirror-health-panel';
import { Card } from '@/components/ui/card';

const PANELS = [
  { title: 'Cache hit rate', body: 'Filled by edge caches once they are registered (CDN): hits, misses and bytes served from cache.' },
  { title: 'Replication lag', body: 'Filled by replication once storage nodes are added (Replication): how far each node is behind.' },
];

/** Panels the mirrors, CDN and replication areas fill; laid out now with the area that fills them. */
export function OpsPanels() {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <MirrorHealthPanel />
      {PANELS.map((p) => (
        <Card key={p.title} title={p.title}>
          <div className="flex min-h-28 items-center justify-center px-4 py-6 text-center text-sm text-slate-600">
            <p>
              <span className="block font-medium text-slate-800">No data yet</span>
              {p.body}
            </p>
          </div>
        </Card>
      ))}
    </div>
  );
}
