ALTER TABLE `destinations` ADD `channel` text;--> statement-breakpoint
ALTER TABLE `destinations` ADD `language` text;--> statement-breakpoint
ALTER TABLE `forwards` ADD `delivery_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `forwards` ADD `last_delivery_error` text;--> statement-breakpoint
ALTER TABLE `forwards` ADD `next_delivery_at` integer;--> statement-breakpoint
ALTER TABLE `forwards` ADD `last_notice_at` integer;--> statement-breakpoint
ALTER TABLE `forwards` ADD `reminders` integer DEFAULT 0 NOT NULL;