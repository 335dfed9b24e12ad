CREATE TABLE `package_replication` (
	`package_id` integer PRIMARY KEY NOT NULL,
	`consistency` text,
	`replication_factor` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `replicas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`node_id` text NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`digest` text NOT NULL,
	`size` integer NOT NULL,
	`yanked` integer DEFAULT false NOT NULL,
	`state` text NOT NULL,
	`seq` integer NOT NULL,
	`committed_at` integer NOT NULL,
	`durable_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`node_id`) REFERENCES `replication_nodes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `replicas_node_version_uq` ON `replicas` (`node_id`,`name`,`version`);--> statement-breakpoint
CREATE INDEX `replicas_version_idx` ON `replicas` (`name`,`version`);--> statement-breakpoint
CREATE INDEX `replicas_state_idx` ON `replicas` (`state`,`node_id`);--> statement-breakpoint
CREATE TABLE `replication_conflicts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`node_id` text NOT NULL,
	`catalogue_digest` text NOT NULL,
	`catalogue_written_at` integer NOT NULL,
	`node_digest` text NOT NULL,
	`node_written_at` integer NOT NULL,
	`detected_at` integer NOT NULL,
	`strategy` text NOT NULL,
	`state` text NOT NULL,
	`winner_digest` text,
	`resolved_at` integer,
	`resolved_by` text
);
--> statement-breakpoint
CREATE INDEX `replication_conflicts_state_idx` ON `replication_conflicts` (`state`,`detected_at`);--> statement-breakpoint
CREATE INDEX `replication_conflicts_version_idx` ON `replication_conflicts` (`name`,`version`);--> statement-breakpoint
CREATE TABLE `replication_nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`region` text NOT NULL,
	`priority` integer DEFAULT 100 NOT NULL,
	`capacity_bytes` integer,
	`backend_type` text NOT NULL,
	`backend` text NOT NULL,
	`secret` text,
	`state` text NOT NULL,
	`pending_state` text,
	`pending_count` integer DEFAULT 0 NOT NULL,
	`last_check_at` integer,
	`last_latency_ms` real,
	`last_error` text,
	`used_bytes` integer DEFAULT 0 NOT NULL,
	`state_changed_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
