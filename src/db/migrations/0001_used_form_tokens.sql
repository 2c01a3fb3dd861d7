CREATE TABLE `used_form_tokens` (
	`nonce_hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_form_tokens_expiry` ON `used_form_tokens` (`expires_at`);