CREATE TABLE `audit_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text,
	`details` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_events_hash_unique` ON `audit_events` (`hash`);--> statement-breakpoint
CREATE INDEX `audit_events_object` ON `audit_events` (`object_type`,`object_id`,`seq`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`totp_secret_sealed` text NOT NULL,
	`totp_last_step` integer,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `bank_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bank_id` integer NOT NULL,
	`signal_type` text NOT NULL,
	`value` text NOT NULL,
	`label` text NOT NULL,
	`taxonomy_version` integer NOT NULL,
	`source_ref` text,
	`added_at` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`import_id` integer,
	FOREIGN KEY (`bank_id`) REFERENCES `banks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_id`) REFERENCES `bank_imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bank_entries_signal` ON `bank_entries` (`signal_type`,`value`,`bank_id`);--> statement-breakpoint
CREATE INDEX `bank_entries_import` ON `bank_entries` (`import_id`);--> statement-breakpoint
CREATE TABLE `bank_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bank_id` integer NOT NULL,
	`format` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`bank_id`) REFERENCES `banks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `banks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`description` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `banks_name_unique` ON `banks` (`name`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedup_key` text NOT NULL,
	`canonical_url` text NOT NULL,
	`url` text NOT NULL,
	`host` text NOT NULL,
	`registrable_domain` text,
	`state` text DEFAULT 'new' NOT NULL,
	`state_reason` text,
	`review_status` text DEFAULT 'received' NOT NULL,
	`assessed_at` integer,
	`first_reported_at` integer NOT NULL,
	`last_reported_at` integer NOT NULL,
	`report_count` integer DEFAULT 0 NOT NULL,
	`final_url` text,
	`http_status` integer,
	`fetched_at` integer,
	`hosting_kind` text,
	`hosting_ip` text,
	`hosting_country` text,
	`hosting_asn` integer,
	`hosting_org` text,
	`hosting_checked_at` integer,
	`priority` integer DEFAULT 0 NOT NULL,
	`priority_reasons` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_dedup_key_unique` ON `items` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `items_state_priority` ON `items` (`state`,`priority`);--> statement-breakpoint
CREATE INDEX `items_review_status` ON `items` (`review_status`);--> statement-breakpoint
CREATE TABLE `report_urls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	`position` integer NOT NULL,
	`input` text NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_urls_report` ON `report_urls` (`report_id`);--> statement-breakpoint
CREATE INDEX `report_urls_item` ON `report_urls` (`item_id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_hash` text NOT NULL,
	`category` text NOT NULL,
	`site_type` text NOT NULL,
	`media_type` text NOT NULL,
	`description` text,
	`contact_ciphertext` text,
	`lang` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_receipt_hash_unique` ON `reports` (`receipt_hash`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 5 NOT NULL,
	`available_at` integer NOT NULL,
	`locked_until` integer,
	`locked_by` text,
	`last_error` text,
	`idempotency_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_idempotency_key_unique` ON `jobs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `jobs_claim` ON `jobs` (`status`,`available_at`);--> statement-breakpoint
CREATE TABLE `item_media` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`position` integer NOT NULL,
	`url` text NOT NULL,
	`media_type` text NOT NULL,
	`size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`sha256` text NOT NULL,
	`sha1` text NOT NULL,
	`md5` text NOT NULL,
	`blockhash` text,
	`pdq` text,
	`pdq_quality` integer,
	`refusal` text,
	`hosting_ip` text,
	`hosting_country` text,
	`hosting_asn` integer,
	`hosting_org` text,
	`duplicate_of_media_id` integer,
	`duplicate_signal` text,
	`duplicate_distance` integer,
	`fetched_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`duplicate_of_media_id`) REFERENCES `item_media`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `item_media_item` ON `item_media` (`item_id`);--> statement-breakpoint
CREATE INDEX `item_media_sha256` ON `item_media` (`sha256`);--> statement-breakpoint
CREATE INDEX `item_media_md5` ON `item_media` (`md5`);--> statement-breakpoint
CREATE INDEX `item_media_duplicate_of` ON `item_media` (`duplicate_of_media_id`);--> statement-breakpoint
CREATE TABLE `item_skipped_media` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`position` integer NOT NULL,
	`url` text NOT NULL,
	`reason` text NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `item_skipped_media_item` ON `item_skipped_media` (`item_id`);--> statement-breakpoint
CREATE TABLE `item_suggestions` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`bank_entry_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`bank_entry_id`) REFERENCES `bank_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `media_matches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`media_id` integer NOT NULL,
	`bank_entry_id` integer NOT NULL,
	`signal_type` text NOT NULL,
	`distance` integer NOT NULL,
	`variant` text,
	FOREIGN KEY (`media_id`) REFERENCES `item_media`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`bank_entry_id`) REFERENCES `bank_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `media_matches_media` ON `media_matches` (`media_id`);--> statement-breakpoint
CREATE INDEX `media_matches_entry` ON `media_matches` (`bank_entry_id`);