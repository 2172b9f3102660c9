CREATE TABLE "sync_purges" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"horizon" bigint NOT NULL,
	"records" integer NOT NULL,
	"ran_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "applied_seq" bigint;--> statement-breakpoint
ALTER TABLE "sync_records" ADD COLUMN "purged_seq" bigint;--> statement-breakpoint
CREATE INDEX "sync_records_parent" ON "sync_records" USING btree ("parent_row_id");