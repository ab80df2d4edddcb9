CREATE TABLE "changes" (
	"rv" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"api_group" text NOT NULL,
	"resource" text NOT NULL,
	"namespace" text NOT NULL,
	"name" text NOT NULL,
	"labels" jsonb NOT NULL,
	"object" text NOT NULL,
	"prev_object" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objects" (
	"api_group" text NOT NULL,
	"resource" text NOT NULL,
	"namespace" text NOT NULL,
	"name" text NOT NULL,
	"uid" text NOT NULL,
	"resource_version" bigint NOT NULL,
	"labels" jsonb NOT NULL,
	"owner_uids" text[] NOT NULL,
	"object" text NOT NULL,
	CONSTRAINT "objects_api_group_resource_namespace_name_pk" PRIMARY KEY("api_group","resource","namespace","name")
);
--> statement-breakpoint
CREATE INDEX "changes_created_at_idx" ON "changes" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "objects_uid_idx" ON "objects" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "objects_owner_uids_idx" ON "objects" USING gin ("owner_uids");--> statement-breakpoint
CREATE INDEX "objects_namespace_idx" ON "objects" USING btree ("namespace");