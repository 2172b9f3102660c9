CREATE TABLE "sync_conflicts" (
	"id" text PRIMARY KEY NOT NULL,
	"tbl" text NOT NULL,
	"row_id" text NOT NULL,
	"field" text NOT NULL,
	"kept_op_id" text NOT NULL,
	"kept_value" text,
	"kept_hlc" text NOT NULL,
	"kept_device_id" text NOT NULL,
	"kept_user_id" text NOT NULL,
	"other_op_id" text NOT NULL,
	"other_value" text,
	"other_hlc" text NOT NULL,
	"other_device_id" text NOT NULL,
	"other_user_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_seq" bigint
);
--> statement-breakpoint
CREATE TABLE "sync_fields" (
	"tbl" text NOT NULL,
	"row_id" text NOT NULL,
	"field" text NOT NULL,
	"value" text,
	"hlc" text NOT NULL,
	"op_id" text NOT NULL,
	"device_id" text NOT NULL,
	"user_id" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "sync_fields_tbl_row_id_field_pk" PRIMARY KEY("tbl","row_id","field")
);
--> statement-breakpoint
CREATE TABLE "sync_ops" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"op_id" text NOT NULL,
	"tbl" text NOT NULL,
	"row_id" text NOT NULL,
	"field" text NOT NULL,
	"value" text,
	"hlc" text NOT NULL,
	"device_id" text NOT NULL,
	"user_id" text NOT NULL,
	"account_id" text NOT NULL,
	"base" text,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_records" (
	"tbl" text NOT NULL,
	"row_id" text NOT NULL,
	"org_id" text,
	"parent_row_id" text,
	"created_by_account" text NOT NULL,
	"owner_account" text NOT NULL,
	"created_seq" bigint NOT NULL,
	CONSTRAINT "sync_records_tbl_row_id_pk" PRIMARY KEY("tbl","row_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "mentor_id" text;--> statement-breakpoint
ALTER TABLE "sync_ops" ADD CONSTRAINT "sync_ops_account_id_users_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_created_by_account_users_id_fk" FOREIGN KEY ("created_by_account") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_records" ADD CONSTRAINT "sync_records_owner_account_users_id_fk" FOREIGN KEY ("owner_account") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sync_conflicts_field" ON "sync_conflicts" USING btree ("tbl","row_id","field");--> statement-breakpoint
CREATE INDEX "sync_conflicts_seq" ON "sync_conflicts" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "sync_conflicts_resolved" ON "sync_conflicts" USING btree ("resolved_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_ops_op_id" ON "sync_ops" USING btree ("op_id");--> statement-breakpoint
CREATE INDEX "sync_ops_row" ON "sync_ops" USING btree ("tbl","row_id");--> statement-breakpoint
CREATE INDEX "sync_records_org" ON "sync_records" USING btree ("org_id","tbl");