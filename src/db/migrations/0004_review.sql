CREATE TABLE `audit_event_objects` (
	`seq` integer NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text NOT NULL,
	FOREIGN KEY (`seq`) REFERENCES `audit_events`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_event_objects_object` ON `audit_event_objects` (`object_type`,`object_id`,`seq`);--> statement-breakpoint
CREATE TABLE `analyst_exposure` (
	`user_id` integer NOT NULL,
	`day` text NOT NULL,
	`ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `day`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `assessments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`author_id` integer,
	`source` text NOT NULL,
	`source_bank_entry_id` integer,
	`outcome` text NOT NULL,
	`content` text,
	`media_type` text,
	`victim_age_group` text,
	`victim_gender` text,
	`site_type` text,
	`depiction` text,
	`comment` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	`decision_comment` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_bank_entry_id`) REFERENCES `bank_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assessments_item` ON `assessments` (`item_id`);--> statement-breakpoint
CREATE INDEX `assessments_status` ON `assessments` (`status`);--> statement-breakpoint
CREATE TABLE `item_reviews` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`claimed_by` integer,
	`claimed_until` integer,
	`in_review_at` integer,
	`decided_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`claimed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `item_reviews_claimed_by` ON `item_reviews` (`claimed_by`);--> statement-breakpoint
CREATE TABLE `item_skips` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`day` text NOT NULL,
	`reason` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `item_skips_user_day` ON `item_skips` (`user_id`,`day`,`item_id`);--> statement-breakpoint
CREATE TABLE `review_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `users` ADD `must_change_password` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `items` ADD `review_queue` text;--> statement-breakpoint
CREATE INDEX `items_queue_priority` ON `items` (`state`,`review_queue`,`priority`,`first_reported_at`);--> statement-breakpoint
CREATE INDEX `items_queue_id` ON `items` (`state`,`review_queue`,`id`);