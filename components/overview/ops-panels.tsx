import { CacheHitPanel } from '@/components/cdn/cache-hit-panel';
import { MirrorHealthPanel } from '@/components/mirrors/mirror-health-panel';
import { ReplicationLagPanel } from '@/components/replication/replication-lag-panel';

/** The panels the mirrors, CDN and replication areas fill. */
export function OpsPanels() {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <MirrorHealthPanel />
      <CacheHitPanel />
      <ReplicationLagPanel />
    </div>
  );
}
