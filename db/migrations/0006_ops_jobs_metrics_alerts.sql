CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`rule_name` text NOT NULL,
	`severity` text NOT NULL,
	`kind` text NOT NULL,
	`value` real,
	`message` text NOT NULL,
	`actor` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_events_at_idx` ON `alert_events` (`at`);--> statement-breakpoint
CREATE INDEX `alert_events_rule_idx` ON `alert_events` (`rule_id`,`at`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`series` text NOT NULL,
	`dim` text DEFAULT '' NOT NULL,
	`stat` text NOT NULL,
	`kind` text NOT NULL,
	`threshold` real NOT NULL,
	`window_ms` integer NOT NULL,
	`for_ms` integer DEFAULT 0 NOT NULL,
	`severity` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`silenced_until` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_states` (
	`rule_id` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`since` integer NOT NULL,
	`last_value` real,
	`last_evaluated_at` integer,
	`acknowledged_by` text,
	`acknowledged_at` integer,
	FOREIGN KEY (`rule_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `job_schedules` (
	`name` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`cron` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`next_run_at` integer NOT NULL,
	`last_run_at` integer,
	`last_job_id` integer
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`run_at` integer NOT NULL,
	`lease_until` integer,
	`heartbeat_at` integer,
	`worker_id` text,
	`progress` text,
	`last_error` text,
	`result` text,
	`idempotency_key` text,
	`schedule_name` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_idempotency_uq` ON `jobs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `jobs_state_run_at_idx` ON `jobs` (`state`,`run_at`);--> statement-breakpoint
CREATE INDEX `jobs_kind_state_idx` ON `jobs` (`kind`,`state`);--> statement-breakpoint
CREATE INDEX `jobs_finished_idx` ON `jobs` (`finished_at`);--> statement-breakpoint
CREATE TABLE `metric_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`series` text NOT NULL,
	`at` integer NOT NULL,
	`value` real,
	`bytes` integer DEFAULT 0 NOT NULL,
	`status` integer,
	`ok` integer NOT NULL,
	`error` integer NOT NULL,
	`dims` text NOT NULL,
	`client` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `metric_events_at_idx` ON `metric_events` (`at`);--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`series` text NOT NULL,
	`dim` text NOT NULL,
	`res` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`ok` integer NOT NULL,
	`errors` integer NOT NULL,
	`bytes` integer NOT NULL,
	`vsum` real NOT NULL,
	`vmin` real,
	`vmax` real,
	`hist` text NOT NULL,
	PRIMARY KEY(`series`, `res`, `dim`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_id` integer NOT NULL,
	`alert_event_id` integer,
	`job_id` integer,
	`attempt` integer NOT NULL,
	`body` text NOT NULL,
	`status_code` integer,
	`response` text,
	`error` text,
	`duration_ms` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook_idx` ON `webhook_deliveries` (`webhook_id`,`at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`min_severity` text DEFAULT 'info' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
