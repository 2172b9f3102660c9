CREATE TABLE `blob_uploads` (
	`sha256` text PRIMARY KEY NOT NULL,
	`uploaded_at` text NOT NULL
);
