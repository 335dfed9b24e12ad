-- Full-text search over packages (name, description, author, tags). drizzle-kit cannot
-- declare FTS5 virtual tables, so this migration is hand-written. The row id is packages.id;
-- the registry engine rewrites a package's row whenever its latest version changes.
CREATE VIRTUAL TABLE `packages_fts` USING fts5(
	`name`, `description`, `author`, `tags`,
	tokenize = 'unicode61 remove_diacritics 2'
);
