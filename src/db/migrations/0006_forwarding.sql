CREATE TABLE `destinations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`country` text,
	`asn` integer,
	`name` text NOT NULL,
	`contact` text,
	`approved` integer DEFAULT false NOT NULL,
	`source` text NOT NULL,
	`as_of` text,
	`confidence` text,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `destinations_key` ON `destinations` (`key`);--> statement-breakpoint
CREATE TABLE `forwards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`assessment_id` integer NOT NULL,
	`destination_id` integer NOT NULL,
	`state` text NOT NULL,
	`reasons` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer,
	`acknowledged_at` integer,
	`removed_at` integer,
	`receiver_reference` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`destination_id`) REFERENCES `destinations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forwards_assessment_destination` ON `forwards` (`assessment_id`,`destination_id`);--> statement-breakpoint
CREATE INDEX `forwards_item` ON `forwards` (`item_id`);--> statement-breakpoint
CREATE INDEX `forwards_state` ON `forwards` (`state`);--> statement-breakpoint
CREATE INDEX `forwards_destination_created` ON `forwards` (`destination_id`,`created_at`);