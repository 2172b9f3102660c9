DROP INDEX `attachments_sha256_unique`;--> statement-breakpoint
CREATE INDEX `attachments_sha256` ON `attachments` (`sha256`);