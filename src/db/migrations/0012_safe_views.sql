CREATE TABLE `safe_views` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	`medium` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`last_charged_at` integer,
	`charged_ms` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `safe_views_user` ON `safe_views` (`user_id`,`opened_at`);