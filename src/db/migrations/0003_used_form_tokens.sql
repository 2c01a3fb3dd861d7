CREATE TABLE `used_form_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`nonce_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`receipt_sealed` text,
	`receipt_until` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `used_form_tokens_nonce_hash_unique` ON `used_form_tokens` (`nonce_hash`);--> statement-breakpoint
CREATE INDEX `used_form_tokens_expiry` ON `used_form_tokens` (`expires_at`);--> statement-breakpoint
CREATE INDEX `used_form_tokens_receipt_until` ON `used_form_tokens` (`receipt_until`);