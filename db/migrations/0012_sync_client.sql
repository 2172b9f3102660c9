CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`tbl` text NOT NULL,
	`row_id` text NOT NULL,
	`field` text NOT NULL,
	`kept` text NOT NULL,
	`other` text NOT NULL,
	`seq` integer NOT NULL,
	`resolved_seq` integer
);
--> statement-breakpoint
ALTER TABLE `change_log` ADD `server_seq` integer;--> statement-breakpoint
ALTER TABLE `change_log` ADD `rejected_reason` text;--> statement-breakpoint
ALTER TABLE `change_log` ADD `rejected_key` text;--> statement-breakpoint
ALTER TABLE `change_log` ADD `applied` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `change_log_outbox` ON `change_log` (`server_seq`,`rejected_reason`,`seq`);