CREATE TABLE `change_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`op_id` text NOT NULL,
	`tbl` text NOT NULL,
	`row_id` text NOT NULL,
	`field` text NOT NULL,
	`value` text,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`user_id` text NOT NULL,
	`base` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `change_log_op_id_unique` ON `change_log` (`op_id`);--> statement-breakpoint
CREATE INDEX `change_log_row` ON `change_log` (`tbl`,`row_id`,`field`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text DEFAULT '' NOT NULL,
	`phone` text DEFAULT '' NOT NULL,
	`email` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contacts_org` ON `contacts` (`org_id`);--> statement-breakpoint
CREATE TABLE `field_clocks` (
	`tbl` text NOT NULL,
	`row_id` text NOT NULL,
	`field` text NOT NULL,
	`hlc` text NOT NULL,
	PRIMARY KEY(`tbl`, `row_id`, `field`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `financials` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`fiscal_year` integer NOT NULL,
	`revenue` integer,
	`operating_profit` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `financials_org_year` ON `financials` (`org_id`,`fiscal_year`);--> statement-breakpoint
CREATE TABLE `mentor_pairs` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`process_mentor_id` text NOT NULL,
	`ai_mentor_id` text NOT NULL,
	FOREIGN KEY (`process_mentor_id`) REFERENCES `mentors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ai_mentor_id`) REFERENCES `mentors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `mentor_pairs_process` ON `mentor_pairs` (`process_mentor_id`);--> statement-breakpoint
CREATE INDEX `mentor_pairs_ai` ON `mentor_pairs` (`ai_mentor_id`);--> statement-breakpoint
CREATE TABLE `mentors` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`name` text NOT NULL,
	`affiliation_type` text NOT NULL,
	`affiliation_name` text DEFAULT '' NOT NULL,
	`expertise` text NOT NULL,
	`region` text NOT NULL,
	`phone` text DEFAULT '' NOT NULL,
	`email` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mentors_name` ON `mentors` (`deleted_at`,`name`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`kind` text NOT NULL,
	`brn` text NOT NULL,
	`name` text NOT NULL,
	`representative` text NOT NULL,
	`region` text NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`ksic_code` text NOT NULL,
	`industry_name` text DEFAULT '' NOT NULL,
	`employees` integer,
	`founded_on` text,
	`notes` text DEFAULT '' NOT NULL,
	`tech_fields` text DEFAULT '[]' NOT NULL,
	`build_record_count` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_kind_brn` ON `organizations` (`kind`,`brn`);--> statement-breakpoint
CREATE INDEX `organizations_kind_name` ON `organizations` (`kind`,`deleted_at`,`name`);--> statement-breakpoint
CREATE INDEX `organizations_kind_region` ON `organizations` (`kind`,`region`);--> statement-breakpoint
CREATE INDEX `organizations_kind_ksic` ON `organizations` (`kind`,`ksic_code`);--> statement-breakpoint
CREATE TABLE `pair_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`pair_id` text NOT NULL,
	`org_id` text NOT NULL,
	`assigned_on` text NOT NULL,
	FOREIGN KEY (`pair_id`) REFERENCES `mentor_pairs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pair_assignments_pair` ON `pair_assignments` (`pair_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `pair_assignments_active_org` ON `pair_assignments` (`org_id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE TABLE `search_docs` (
	`rowid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`active` integer DEFAULT 1 NOT NULL,
	`sort_key` text DEFAULT '' NOT NULL,
	`signature` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_entity_id_unique` ON `search_docs` (`entity_id`);--> statement-breakpoint
CREATE INDEX `search_docs_sorted` ON `search_docs` (`entity`,`active`,`sort_key`);--> statement-breakpoint
CREATE TABLE `vc_investments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`amount` integer NOT NULL,
	`invested_on` text NOT NULL,
	`investor` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `vc_investments_org` ON `vc_investments` (`org_id`);