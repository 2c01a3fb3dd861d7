CREATE TABLE `item_rechecks` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`gone_streak` integer DEFAULT 0 NOT NULL,
	`gone_since` integer,
	`next_check_at` integer NOT NULL,
	`last_checked_at` integer,
	`last_verdict` text,
	`last_reason` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `item_rechecks_next` ON `item_rechecks` (`next_check_at`);