-- The namespace index holds the whole key: a namespace's objects in key order (namespace deletion), and a lookup by key
-- (ark_write_batch's, whose plans are kept per connection, made perhaps while the table was empty) is exact whichever
-- index its plan takes. On the namespace alone, a plan made on an empty table walked the whole namespace per write.
DROP INDEX "objects_namespace_idx";--> statement-breakpoint
CREATE INDEX "objects_namespace_key_idx" ON "objects" USING btree ("namespace","api_group","resource","name");