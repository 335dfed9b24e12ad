CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`result` text NOT NULL,
	`error_code` text,
	`client_addr` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_events_created_idx` ON `audit_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_action_idx` ON `audit_events` (`action`);--> statement-breakpoint
CREATE TABLE `download_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`status` integer NOT NULL,
	`bytes_sent` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`is_range` integer NOT NULL,
	`completed` integer NOT NULL,
	`client_addr` text,
	`user_agent` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `download_events_version_idx` ON `download_events` (`version_id`);--> statement-breakpoint
CREATE INDEX `download_events_package_idx` ON `download_events` (`package_id`);--> statement-breakpoint
CREATE INDEX `download_events_created_idx` ON `download_events` (`created_at`);--> statement-breakpoint
CREATE TABLE `packages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`author` text,
	`license` text,
	`latest_version` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `packages_name_uq` ON `packages` (`name`);--> statement-breakpoint
CREATE INDEX `packages_updated_idx` ON `packages` (`updated_at`);--> statement-breakpoint
CREATE TABLE `resources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version_id` integer NOT NULL,
	`path` text NOT NULL,
	`name` text NOT NULL,
	`type` text,
	`size` integer NOT NULL,
	`compressed_size` integer NOT NULL,
	`compression` text NOT NULL,
	`sha256` text NOT NULL,
	`metadata` text,
	FOREIGN KEY (`version_id`) REFERENCES `versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `resources_version_path_uq` ON `resources` (`version_id`,`path`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`tag` text NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_package_tag_uq` ON `tags` (`package_id`,`tag`);--> statement-breakpoint
CREATE INDEX `tags_tag_idx` ON `tags` (`tag`);--> statement-breakpoint
CREATE TABLE `versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`version` text NOT NULL,
	`digest` text NOT NULL,
	`size` integer NOT NULL,
	`format_version` text NOT NULL,
	`manifest` text NOT NULL,
	`published_at` integer NOT NULL,
	`publisher` text NOT NULL,
	`yanked` integer DEFAULT false NOT NULL,
	`yanked_at` integer,
	`yank_reason` text,
	`signature` text,
	`signature_key_id` text,
	`signature_status` text,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `versions_package_version_uq` ON `versions` (`package_id`,`version`);--> statement-breakpoint
CREATE INDEX `versions_digest_idx` ON `versions` (`digest`);