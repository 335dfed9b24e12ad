-- Hand-added: the metrics store takes over the download counters and the raw download events.
-- All-time totals (res 0) from the counters that were maintained until now.
INSERT INTO `metric_rollups` (series, dim, res, bucket, count, ok, errors, bytes, vsum, vmin, vmax, hist)
	SELECT 'download', 'p:' || id, 0, 0, download_count, download_count, 0, bytes_served, 0, NULL, NULL, '{}'
	FROM `packages` WHERE download_count > 0 OR bytes_served > 0;--> statement-breakpoint
INSERT INTO `metric_rollups` (series, dim, res, bucket, count, ok, errors, bytes, vsum, vmin, vmax, hist)
	SELECT 'download', 'v:' || id, 0, 0, download_count, download_count, 0, 0, 0, NULL, NULL, '{}'
	FROM `versions` WHERE download_count > 0;--> statement-breakpoint
INSERT INTO `metric_rollups` (series, dim, res, bucket, count, ok, errors, bytes, vsum, vmin, vmax, hist)
	SELECT 'download', '', 0, 0, coalesce(sum(download_count), 0), coalesce(sum(download_count), 0), 0, coalesce(sum(bytes_served), 0), 0, NULL, NULL, '{}'
	FROM `packages` HAVING count(*) > 0;--> statement-breakpoint
-- Minute, hour and day rollups of the old events (without histograms: their percentiles are unknown).
INSERT INTO `metric_rollups` (series, dim, res, bucket, count, ok, errors, bytes, vsum, vmin, vmax, hist)
	SELECT 'download', d.dim, r.res, (d.at / r.res) * r.res, count(*), sum(d.status = 200), sum(d.status >= 500),
		sum(d.bytes), sum(d.ms), min(d.ms), max(d.ms), '{}'
	FROM (
		SELECT created_at AS at, status, bytes_sent AS bytes, duration_ms AS ms, '' AS dim FROM `download_events`
		UNION ALL SELECT created_at, status, bytes_sent, duration_ms, 'p:' || package_id FROM `download_events`
		UNION ALL SELECT created_at, status, bytes_sent, duration_ms, 'v:' || version_id FROM `download_events`
	) d CROSS JOIN (SELECT 60000 AS res UNION ALL SELECT 3600000 UNION ALL SELECT 86400000) r
	GROUP BY d.dim, r.res, (d.at / r.res) * r.res;--> statement-breakpoint
INSERT INTO `metric_events` (series, at, value, bytes, status, ok, error, dims, client, detail)
	SELECT 'download', created_at, duration_ms, bytes_sent, status, status = 200, status >= 500,
		'p:' || package_id || ' v:' || version_id, client_addr,
		CASE WHEN is_range OR NOT completed THEN json_object('range', json(CASE WHEN is_range THEN 'true' ELSE 'false' END), 'completed', json(CASE WHEN completed THEN 'true' ELSE 'false' END)) END
	FROM `download_events` ORDER BY id;--> statement-breakpoint
DROP TABLE `download_events`;--> statement-breakpoint
ALTER TABLE `packages` DROP COLUMN `download_count`;--> statement-breakpoint
ALTER TABLE `packages` DROP COLUMN `bytes_served`;--> statement-breakpoint
ALTER TABLE `versions` DROP COLUMN `download_count`;