ALTER TABLE "sync_ops" DROP CONSTRAINT "sync_ops_account_id_users_id_fk";
