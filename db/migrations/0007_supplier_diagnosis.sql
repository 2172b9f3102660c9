CREATE TABLE `diagnoses` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`track` text NOT NULL,
	`instrument_id` text NOT NULL,
	`instrument_version` integer NOT NULL,
	`consultant_name` text NOT NULL,
	`diagnosed_on` text NOT NULL,
	`strategy` text DEFAULT '' NOT NULL,
	`result` text,
	`finalized_at` text,
	`finalized_by` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `diagnoses_org` ON `diagnoses` (`org_id`,`diagnosed_on`);--> statement-breakpoint
CREATE TABLE `diagnosis_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`diagnosis_id` text NOT NULL,
	`item_id` text NOT NULL,
	`score` integer,
	`comment` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`diagnosis_id`) REFERENCES `diagnoses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `diagnosis_answers_item` ON `diagnosis_answers` (`diagnosis_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `diagnosis_plan_items` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`diagnosis_id` text NOT NULL,
	`item_id` text,
	`what` text NOT NULL,
	`how` text DEFAULT '' NOT NULL,
	`due_on` text,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`diagnosis_id`) REFERENCES `diagnoses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `diagnosis_plan_items_diagnosis` ON `diagnosis_plan_items` (`diagnosis_id`,`position`);--> statement-breakpoint
CREATE TABLE `diagnosis_signatures` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`diagnosis_id` text NOT NULL,
	`role` text NOT NULL,
	`signer_name` text NOT NULL,
	`image` text NOT NULL,
	`signed_at` text NOT NULL,
	FOREIGN KEY (`diagnosis_id`) REFERENCES `diagnoses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `diagnosis_signatures_diagnosis` ON `diagnosis_signatures` (`diagnosis_id`);--> statement-breakpoint
CREATE TABLE `portal_profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`diagnosis_id` text,
	`profile` text NOT NULL,
	`approved_by` text NOT NULL,
	`approved_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`diagnosis_id`) REFERENCES `diagnoses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `portal_profiles_org` ON `portal_profiles` (`org_id`,`approved_at`);--> statement-breakpoint
CREATE TABLE `sanctions` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`found_on` text NOT NULL,
	`decided_on` text NOT NULL,
	`decision` text NOT NULL,
	`clawback_krw` integer,
	`project_ref` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sanctions_org` ON `sanctions` (`org_id`,`decided_on`);