CREATE TABLE `postbuild_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`check_id` text NOT NULL,
	`item_id` text NOT NULL,
	`value` text,
	`comment` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`check_id`) REFERENCES `postbuild_checks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `postbuild_answers_item` ON `postbuild_answers` (`check_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `postbuild_checks` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`project_id` text NOT NULL,
	`instrument_id` text NOT NULL,
	`instrument_version` integer NOT NULL,
	`checked_on` text NOT NULL,
	`signer_name` text,
	`signature` text,
	`signed_at` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `postbuild_checks_project` ON `postbuild_checks` (`project_id`,`checked_on`);--> statement-breakpoint
CREATE TABLE `project_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`project_id` text NOT NULL,
	`title` text NOT NULL,
	`dated_on` text NOT NULL,
	`submitted_on` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_documents_project` ON `project_documents` (`project_id`);--> statement-breakpoint
CREATE TABLE `project_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`project_id` text NOT NULL,
	`attachment_id` text NOT NULL,
	`caption` text DEFAULT '' NOT NULL,
	`taken_at` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attachment_id`) REFERENCES `attachments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_photos_project` ON `project_photos` (`project_id`);--> statement-breakpoint
CREATE TABLE `red_flag_findings` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`project_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text NOT NULL,
	`recorded_by` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `red_flag_findings_rule` ON `red_flag_findings` (`project_id`,`rule_id`);--> statement-breakpoint
CREATE TABLE `usage_days` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`day` text NOT NULL,
	`users` text DEFAULT '[]' NOT NULL,
	`events` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_days_day` ON `usage_days` (`project_id`,`kind`,`day`);--> statement-breakpoint
CREATE TABLE `usage_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`rows` integer NOT NULL,
	`skipped` integer NOT NULL,
	`from_day` text,
	`to_day` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_imports_file` ON `usage_imports` (`project_id`,`kind`,`sha256`);