CREATE TABLE `certificate_revocations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`certificate_id` text NOT NULL,
	`reason` text NOT NULL,
	`revoked_at` text NOT NULL,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificate_revocations_certificate` ON `certificate_revocations` (`certificate_id`);--> statement-breakpoint
CREATE TABLE `certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`confirmation_id` text NOT NULL,
	`number` text NOT NULL,
	`office` text NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`issued_on` text NOT NULL,
	`valid_until` text NOT NULL,
	`data` text NOT NULL,
	`data_hash` text NOT NULL,
	`pdf_sha256` text NOT NULL,
	`signer_cert` text NOT NULL,
	`issued_at` text NOT NULL,
	FOREIGN KEY (`confirmation_id`) REFERENCES `level_confirmations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_number_unique` ON `certificates` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_office_year_seq` ON `certificates` (`office`,`year`,`seq`);--> statement-breakpoint
CREATE TABLE `level_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`confirmation_id` text NOT NULL,
	`area_id` text NOT NULL,
	`step` integer,
	`evidence` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`confirmation_id`) REFERENCES `level_confirmations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `level_answers_area` ON `level_answers` (`confirmation_id`,`area_id`);--> statement-breakpoint
CREATE TABLE `level_confirmations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`project_id` text,
	`instrument_id` text NOT NULL,
	`instrument_version` integer NOT NULL,
	`assessed_on` text NOT NULL,
	`result` text,
	`finalized_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `level_confirmations_org` ON `level_confirmations` (`org_id`,`assessed_on`);--> statement-breakpoint
CREATE TABLE `level_signatures` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`confirmation_id` text NOT NULL,
	`role` text NOT NULL,
	`signer_name` text NOT NULL,
	`image` text NOT NULL,
	`signed_at` text NOT NULL,
	FOREIGN KEY (`confirmation_id`) REFERENCES `level_confirmations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `level_signatures_confirmation` ON `level_signatures` (`confirmation_id`);