ALTER TABLE `packages` ADD `description_edited` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `packages` ADD `tags_edited` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Hand-added: the README joins full-text search (FTS5 cannot add a column, so the table is
-- rebuilt from the packages it indexes).
DROP TABLE `packages_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `packages_fts` USING fts5(
	`name`, `description`, `author`, `tags`, `readme`,
	tokenize = 'unicode61 remove_diacritics 2'
);--> statement-breakpoint
INSERT INTO `packages_fts` (rowid, name, description, author, tags, readme)
	SELECT p.`id`, p.`name`, coalesce(p.`description`, ''), coalesce(p.`author`, ''),
		coalesce((SELECT group_concat(t.`tag`, ' ') FROM `tags` t WHERE t.`package_id` = p.`id`), ''), coalesce(p.`readme`, '')
	FROM `packages` p;--> statement-breakpoint
-- Hand-added: a deleted name@version is never published again, whichever code path inserts it.
CREATE TRIGGER `versions_not_tombstoned` BEFORE INSERT ON `versions`
WHEN EXISTS (
	SELECT 1 FROM `tombstones` t JOIN `packages` p ON p.`name` = t.`package_name`
	WHERE p.`id` = NEW.`package_id` AND t.`version` = NEW.`version`
)
BEGIN
	SELECT RAISE(ABORT, 'VERSION_TOMBSTONED: this version was deleted and is never published again');
END;
