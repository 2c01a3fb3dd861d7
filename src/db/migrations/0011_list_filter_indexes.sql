CREATE INDEX `items_country_id` ON `items` (`hosting_country`,`id`);--> statement-breakpoint
CREATE INDEX `reports_category` ON `reports` (`category`);--> statement-breakpoint
CREATE INDEX `reports_site_type` ON `reports` (`site_type`);