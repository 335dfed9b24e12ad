CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key_id` text NOT NULL,
	`user_id` integer,
	`name` text NOT NULL,
	`public_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signing_keys_key_id_uq` ON `signing_keys` (`key_id`);--> statement-breakpoint
CREATE INDEX `signing_keys_user_idx` ON `signing_keys` (`user_id`);--> statement-breakpoint
ALTER TABLE `packages` ADD `require_signature` integer;--> statement-breakpoint
ALTER TABLE `versions` ADD `signature_signer` text;--> statement-breakpoint
ALTER TABLE `versions` ADD `encrypted` integer DEFAULT false NOT NULL;