CREATE TABLE `action_items` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`org_id` text NOT NULL,
	`assessment_id` text,
	`item_id` text,
	`title` text NOT NULL,
	`owner` text DEFAULT '' NOT NULL,
	`due_on` text,
	`severity` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_items_org` ON `action_items` (`org_id`,`status`,`due_on`);