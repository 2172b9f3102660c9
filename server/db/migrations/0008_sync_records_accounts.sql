ALTER TABLE "sync_records" DROP CONSTRAINT "sync_records_created_by_account_users_id_fk";
--> statement-breakpoint
ALTER TABLE "sync_records" DROP CONSTRAINT "sync_records_owner_account_users_id_fk";
