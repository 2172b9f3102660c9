CREATE TABLE `assessment_signatures` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`origin_device` text NOT NULL,
	`assessment_id` text NOT NULL,
	`role` text NOT NULL,
	`signer_name` text NOT NULL,
	`image` text NOT NULL,
	`signed_at` text NOT NULL,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assessment_signatures_assessment` ON `assessment_signatures` (`assessment_id`);