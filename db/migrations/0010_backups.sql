CREATE TABLE `backup_repositories` (
	`id` text PRIMARY KEY NOT NULL,
	`description` text,
	`backend_type` text NOT NULL,
	`backend` text NOT NULL,
	`secret` text,
	`password_source` text NOT NULL,
	`repo_uid` text NOT NULL,
	`schedule_cron` text,
	`schedule_tags` text DEFAULT '[]' NOT NULL,
	`retention` text,
	`last_run_at` integer,
	`last_success_at` integer,
	`last_error` text,
	`stored_bytes` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `backup_snapshots` (
	`repository_id` text NOT NULL,
	`id` text NOT NULL,
	`time` integer NOT NULL,
	`kind` text NOT NULL,
	`host` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`description` text,
	`recovery_point_name` text,
	`recovery_point_description` text,
	`package_name` text,
	`package_version` text,
	`logical_bytes` integer NOT NULL,
	`new_bytes` integer NOT NULL,
	`file_count` integer NOT NULL,
	`unique_chunks` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`repository_id`, `id`),
	FOREIGN KEY (`repository_id`) REFERENCES `backup_repositories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `backup_snapshots_time_idx` ON `backup_snapshots` (`repository_id`,`time`);