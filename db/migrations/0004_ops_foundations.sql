CREATE TABLE `blob_holds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`digest` text,
	`temp_path` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `blob_holds_digest_idx` ON `blob_holds` (`digest`);--> statement-breakpoint
CREATE INDEX `blob_holds_temp_idx` ON `blob_holds` (`temp_path`);--> statement-breakpoint
CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`version` text,
	`digest` text,
	`size` integer,
	`data` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `changes_name_idx` ON `changes` (`name`,`seq`);--> statement-breakpoint
CREATE TABLE `channel_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`channel` text NOT NULL,
	`from_version` text,
	`to_version` text,
	`moved_at` integer NOT NULL,
	`moved_by` text NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channel_history_package_idx` ON `channel_history` (`package_id`,`channel`,`moved_at`);--> statement-breakpoint
CREATE TABLE `channels` (
	`package_id` integer NOT NULL,
	`name` text NOT NULL,
	`version_id` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`package_id`, `name`),
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `channels_version_idx` ON `channels` (`version_id`);--> statement-breakpoint
CREATE TABLE `key_challenges` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `key_challenges_expires_idx` ON `key_challenges` (`expires_at`);--> statement-breakpoint
CREATE TABLE `tombstones` (
	`package_name` text NOT NULL,
	`version` text NOT NULL,
	`digest` text NOT NULL,
	`deleted_at` integer NOT NULL,
	`deleted_by` text NOT NULL,
	PRIMARY KEY(`package_name`, `version`)
);
--> statement-breakpoint
CREATE TABLE `upload_claims` (
	`upload_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`claimed_by` text NOT NULL,
	`result` text
);
--> statement-breakpoint
ALTER TABLE `packages` ADD `homepage` text;--> statement-breakpoint
ALTER TABLE `packages` ADD `readme` text;--> statement-breakpoint
ALTER TABLE `packages` ADD `download_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `packages` ADD `bytes_served` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `versions` ADD `download_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-added: backfill the maintained download counters from the events already recorded.
UPDATE `versions` SET `download_count` = (SELECT count(*) FROM `download_events` e WHERE e.`version_id` = `versions`.`id` AND e.`status` = 200);--> statement-breakpoint
UPDATE `packages` SET `download_count` = (SELECT count(*) FROM `download_events` e WHERE e.`package_id` = `packages`.`id` AND e.`status` = 200);--> statement-breakpoint
UPDATE `packages` SET `bytes_served` = (SELECT coalesce(sum(e.`bytes_sent`), 0) FROM `download_events` e WHERE e.`package_id` = `packages`.`id`);
