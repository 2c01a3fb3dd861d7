ALTER TABLE `reports` ADD `status_delay_hours` integer;--> statement-breakpoint
ALTER TABLE `reports` ADD `status_delay_random_hours` integer;