CREATE TABLE "a2a_tasks" (
	"owner" text NOT NULL,
	"id" text NOT NULL,
	"context_id" text NOT NULL,
	"state" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"task" jsonb NOT NULL,
	CONSTRAINT "a2a_tasks_owner_id_pk" PRIMARY KEY("owner","id")
);
--> statement-breakpoint
CREATE INDEX "a2a_tasks_owner_context" ON "a2a_tasks" USING btree ("owner","context_id","updated_at");