CREATE TABLE "memory_messages" (
	"session_id" text NOT NULL,
	"position" integer NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memory_messages_session_id_position_pk" PRIMARY KEY("session_id","position")
);
--> statement-breakpoint
CREATE TABLE "memory_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"message_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memory_messages" ADD CONSTRAINT "memory_messages_session_id_memory_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."memory_sessions"("id") ON DELETE cascade ON UPDATE no action;