ALTER TABLE `assessments` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `diagnoses` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `level_confirmations` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `postbuild_checks` ADD `content_hash` text;