CREATE TABLE `assessment_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`assessment_id` text NOT NULL,
	`item_id` text NOT NULL,
	`value` text,
	`comment` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessment_answers_item` ON `assessment_answers` (`assessment_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `assessment_kpis` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`assessment_id` text NOT NULL,
	`kpi_id` text NOT NULL,
	`value` real,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessment_kpis_kpi` ON `assessment_kpis` (`assessment_id`,`kpi_id`);--> statement-breakpoint
CREATE TABLE `assessments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`visit_id` text,
	`instrument_id` text NOT NULL,
	`instrument_version` integer NOT NULL,
	`result` text,
	`type_override` text,
	`override_reason` text DEFAULT '' NOT NULL,
	`supersedes_id` text,
	`finalized_at` text,
	`finalized_by` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assessments_org` ON `assessments` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `visit_attendees` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`visit_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visit_attendees_visit` ON `visit_attendees` (`visit_id`);--> statement-breakpoint
CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`pair_id` text,
	`visited_on` text NOT NULL,
	`place` text DEFAULT '' NOT NULL,
	`purpose` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pair_id`) REFERENCES `mentor_pairs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visits_org` ON `visits` (`org_id`,`visited_on`);