ALTER TABLE `items` ADD `tls_invalid` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `item_media` ADD `tls_invalid` integer DEFAULT false NOT NULL;