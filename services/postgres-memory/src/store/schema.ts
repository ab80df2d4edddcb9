import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** One row per session; the row lock taken by an append serializes concurrent appends to one session. */
export const sessions = pgTable("memory_sessions", {
  id: text("id").primaryKey(),
  messageCount: integer("message_count").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Messages in session order: `position` counts from 0 per session, so order never depends on timestamps. */
export const messages = pgTable(
  "memory_messages",
  {
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** The message's JSON text as received, so reads concatenate rows without parsing. */
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.position] })],
);
