CREATE TABLE "blob_holders" (
	"sha256" text NOT NULL,
	"account_id" text NOT NULL,
	"proven_at" timestamp with time zone NOT NULL,
	CONSTRAINT "blob_holders_sha256_account_id_pk" PRIMARY KEY("sha256","account_id")
);
--> statement-breakpoint
ALTER TABLE "blob_holders" ADD CONSTRAINT "blob_holders_sha256_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."blobs"("sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blob_holders" ADD CONSTRAINT "blob_holders_account_id_users_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;