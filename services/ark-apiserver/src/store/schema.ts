import { bigint, bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Current state: one row per object; the JSON is kept as text so lists concatenate without parsing. */
export const objects = pgTable(
  "objects",
  {
    apiGroup: text("api_group").notNull(),
    resource: text("resource").notNull(),
    /** "" for cluster-scoped objects. */
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    uid: text("uid").notNull(),
    resourceVersion: bigint("resource_version", { mode: "number" }).notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    /** uids from metadata.ownerReferences, for garbage collection. */
    ownerUids: text("owner_uids").array().notNull(),
    object: text("object").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.apiGroup, t.resource, t.namespace, t.name] }),
    index("objects_uid_idx").on(t.uid),
    index("objects_owner_uids_idx").using("gin", t.ownerUids),
    // A namespace's objects in key order (namespace deletion). Its whole key also makes any plan of a lookup by key an
    // exact one: planned while the table was empty, a lookup once took this index on the namespace alone
    // (drizzle/0003_objects_namespace_key.sql).
    index("objects_namespace_key_idx").on(t.namespace, t.apiGroup, t.resource, t.name),
  ],
);

/** The change log: rv is the global resourceVersion sequence; watches replay from here. */
export const changes = pgTable(
  "changes",
  {
    rv: bigserial("rv", { mode: "number" }).primaryKey(),
    type: text("type").$type<ChangeType>().notNull(),
    apiGroup: text("api_group").notNull(),
    resource: text("resource").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    object: text("object").notNull(),
    /** The object before this change (MODIFIED/DELETED), so selector watches can tell "left the selection". */
    prevObject: text("prev_object"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("changes_created_at_idx").on(t.createdAt)],
);

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";
