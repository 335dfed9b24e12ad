CREATE TABLE `edges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`region` text NOT NULL,
	`provider` text DEFAULT 'torsh-edge' NOT NULL,
	`purge_token` text NOT NULL,
	`state` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_check_at` integer,
	`last_error` text,
	`last_stats` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `edges_url_uq` ON `edges` (`url`);--> statement-breakpoint
CREATE TABLE `mirror_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mirror_id` integer NOT NULL,
	`at` integer NOT NULL,
	`ok` integer NOT NULL,
	`http_status` integer,
	`latency_ms` real,
	`lag_changes` integer,
	`state` text NOT NULL,
	`error` text,
	FOREIGN KEY (`mirror_id`) REFERENCES `mirrors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mirror_checks_mirror_idx` ON `mirror_checks` (`mirror_id`,`at`);--> statement-breakpoint
CREATE INDEX `mirror_checks_at_idx` ON `mirror_checks` (`at`);--> statement-breakpoint
CREATE TABLE `mirror_sync` (
	`upstream` text PRIMARY KEY NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`head` integer DEFAULT 0 NOT NULL,
	`last_contact_at` integer,
	`caught_up_at` integer,
	`last_error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `mirrors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`region` text NOT NULL,
	`priority` integer DEFAULT 100 NOT NULL,
	`weight` integer DEFAULT 100 NOT NULL,
	`state` text NOT NULL,
	`pending_state` text,
	`pending_count` integer DEFAULT 0 NOT NULL,
	`last_check_at` integer,
	`last_latency_ms` real,
	`position` integer,
	`lag_changes` integer,
	`lag_seconds` real,
	`load` integer,
	`bytes_held` integer,
	`last_error` text,
	`state_changed_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mirrors_url_uq` ON `mirrors` (`url`);--> statement-breakpoint
CREATE TABLE `region_ranges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cidr` text NOT NULL,
	`region` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `changes` ADD `public` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `changes_public_idx` ON `changes` (`public`,`seq`);--> statement-breakpoint
UPDATE `changes` SET `public` = 1 WHERE (`kind` = 'visibility' AND (json_extract(`data`, '$.from') = 'public' OR json_extract(`data`, '$.to') = 'public')) OR (`kind` <> 'visibility' AND `name` IN (SELECT `name` FROM `packages` WHERE `visibility` = 'public'));
