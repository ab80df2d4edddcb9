-- Keys sort bytewise (C), whatever the database locale, so continue tokens and merges agree with ORDER BY.
ALTER TABLE "objects" ALTER COLUMN "namespace" TYPE text COLLATE "C", ALTER COLUMN "name" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "changes" ALTER COLUMN "namespace" TYPE text COLLATE "C", ALTER COLUMN "name" TYPE text COLLATE "C";
