CREATE TABLE `project_suppliers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`project_id` text NOT NULL,
	`supplier_id` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`supplier_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_suppliers_project` ON `project_suppliers` (`project_id`);--> statement-breakpoint
CREATE INDEX `project_suppliers_supplier` ON `project_suppliers` (`supplier_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`programme` text NOT NULL,
	`title` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`contract_on` text,
	`final_inspection_on` text,
	`budget_gov` integer NOT NULL,
	`budget_company` integer NOT NULL,
	`budget_large` integer DEFAULT 0 NOT NULL,
	`sw_labour_krw` integer,
	`scope_units` integer,
	`grades_billed` text DEFAULT '{}' NOT NULL,
	`grades_declared` text DEFAULT '{}' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `projects_org` ON `projects` (`org_id`,`starts_on`);