import { fullDownloadsSql } from '../metrics/download-counts';
import { SERIES } from '../metrics/metric-event';
import { sql } from 'drizzle-orm';
import type { Visibility } from '@/db/schema';
import { visiblePackagesSql } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { canViewStats } from './stats-access';
import type { SearchResult } from './views';

export type SearchInput = { q?: string; page?: number; perPage?: number };

export const MAX_PER_PAGE = 100;

/**
 * Turn free text into an FTS5 query: every word must match, as a prefix. Words are quoted, so
 * FTS5 operators typed by a user (AND, NEAR, *, ^, column filters) are searched as plain text.
 */
export function toFtsQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.slice(0, 16).map((w) => `"${w}"*`).join(' ');
}

type Row = {
  id: number;
  name: string;
  visibility: Visibility;
  description: string | null;
  author: string | null;
  latest: string | null;
  updatedAt: number;
  size: number | null;
  downloads: number;
  /** JSON array, in the order they were added. */
  tags: string;
};

/** Only packages the actor may see are counted and listed. */
export function searchPackages(engine: Engine, actor: Actor, input: SearchInput): SearchResult {
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(input.perPage ?? 20)));
  const offset = (page - 1) * perPage;
  const match = toFtsQuery(input.q ?? '');
  const db = engine.db;
  const visible = visiblePackagesSql(actor);

  // Raw SQL with explicit aliases: the size comes from a correlated subquery on the latest version.
  const columns = sql`p.id, p.name, p.visibility, p.description, p.author, p.latest_version AS latest, p.updated_at AS updatedAt,
      ${fullDownloadsSql('p', 'p.id')} AS downloads,
      (SELECT v.size FROM versions v WHERE v.package_id = p.id AND v.version = p.latest_version) AS size,
      (SELECT json_group_array(tag) FROM (SELECT t.tag FROM tags t WHERE t.package_id = p.id ORDER BY t.id)) AS tags`;
  let total: number;
  let rows: Row[];
  if (match === null) {
    total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM packages p WHERE ${visible}`).n;
    rows = db.all<Row>(sql`
      SELECT ${columns} FROM packages p
      WHERE ${visible}
      ORDER BY p.updated_at DESC, p.name
      LIMIT ${perPage} OFFSET ${offset}`);
  } else {
    total = db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM packages_fts f JOIN packages p ON p.id = f.rowid WHERE packages_fts MATCH ${match} AND ${visible}`,
    ).n;
    rows = db.all<Row>(sql`
      SELECT ${columns} FROM packages_fts f JOIN packages p ON p.id = f.rowid
      WHERE packages_fts MATCH ${match} AND ${visible}
      ORDER BY bm25(packages_fts, 10.0, 1.0, 2.0, 5.0, 0.5), p.name
      LIMIT ${perPage} OFFSET ${offset}`);
  }

  return {
    total,
    page,
    per_page: perPage,
    packages: rows.map((r) => ({
      name: r.name,
      description: r.description,
      author: r.author,
      latest: r.latest,
      size: r.size,
      downloads: canViewStats(engine, actor, r) ? r.downloads + engine.metrics.pending(SERIES.download, `p:${r.id}`).ok : null,
      updated_at: r.updatedAt,
      tags: JSON.parse(r.tags) as string[],
    })),
  };
}
