import type { Engine } from '../engine';
import { recordDownload, type DownloadEvent } from '../registry/record-download';
import type { HubRepo, HubRevision } from './hub-repo';

/** One file download through the Hub routes: a download event of that version, with the file in its detail. */
export function recordHubDownload(engine: Engine, repo: HubRepo, rev: HubRevision, file: string, ev: Omit<DownloadEvent, 'file'>): void {
  recordDownload(engine, { pkg: repo.pkg, row: rev.row }, { ...ev, file });
}
