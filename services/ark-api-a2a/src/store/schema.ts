import { bigint, index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/** One row per A2A task: the SDK's Task as its JSON form, with the columns ListTasks filters and orders on. */
export const a2aTasks = pgTable(
  "a2a_tasks",
  {
    owner: text("owner").notNull(),
    id: text("id").notNull(),
    contextId: text("context_id").notNull(),
    state: text("state").notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    task: jsonb("task").notNull(),
  },
  (table) => [primaryKey({ columns: [table.owner, table.id] }), index("a2a_tasks_owner_context").on(table.owner, table.contextId, table.updatedAt)],
);
