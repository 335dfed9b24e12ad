import { CacheHitPanel } from '@/components/cdn/cache-hit-panel';
import { MirrorHealthPanel } from '@/components/mirrors/mirror-health-panel';
import { Card } from '@/components/ui/card';
import { PanelMessage } from './panel-message';

type Panel = { title: string; body: string };

const REPLICATION: Panel = { title: 'Replication lag', body: 'Filled by replication once storage nodes are added (Replication): how far each node is behind.' };

/** Panels the mirrors, CDN and replication areas fill; laid out now with the area that fills them. */
export function OpsPanels() {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <MirrorHealthPanel />
      <CacheHitPanel />
      <PlaceholderPanel {...REPLICATION} />
    </div>
  );
}

function PlaceholderPanel({ title, body }: Panel) {
  return (
    <Card title={title}>
      <PanelMessage title="No data yet">{body}</PanelMessage>
    </Card>
  );
}
