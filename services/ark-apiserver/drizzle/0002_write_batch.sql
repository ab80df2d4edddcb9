-- One group-commit transaction's writes in one call (docs/architecture.md §2): the write lock, then each mutation in
-- order (its rv from the sequence, so rv order is call order), the change log row with the state before, one NOTIFY.
-- The statements' plans are kept per session by PL/pgSQL: a batch is neither parsed nor planned again.
-- Row n of the result is the n-th (from 1) mutation written; a create of a key that exists, or a change or delete
-- from a resourceVersion that is no longer the stored one, writes nothing and returns no row.
-- Each object's JSON comes in two parts, before and after its resourceVersion's value, all of them one after the other
-- in p_texts (UTF-8) with their lengths in bytes in p_lengths (2 per mutation): nothing to escape or unescape.
CREATE OR REPLACE FUNCTION ark_write_batch(
  p_type text[], p_group text[], p_resource text[], p_namespace text[], p_name text[], p_uid text[],
  p_labels text[], p_owners text[], p_texts bytea, p_lengths integer[], p_expected bigint[],
  OUT n integer, OUT rv bigint
) RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE
  v_rv bigint;
  v_text text;
  v_prev text;
  v_labels jsonb;
  v_owners text[];
  v_at integer := 0;
  v_before text;
  v_after text;
BEGIN
  PERFORM pg_advisory_xact_lock(7240001);
  FOR i IN 1 .. coalesce(array_length(p_type, 1), 0) LOOP
    v_before := convert_from(substring(p_texts FROM v_at + 1 FOR p_lengths[2 * i - 1]), 'UTF8');
    v_at := v_at + p_lengths[2 * i - 1];
    v_after := convert_from(substring(p_texts FROM v_at + 1 FOR p_lengths[2 * i]), 'UTF8');
    v_at := v_at + p_lengths[2 * i];
    v_rv := nextval('changes_rv_seq');
    -- The object's text with its resourceVersion, which only the sequence knows.
    v_text := v_before || '"' || v_rv || '"' || v_after;
    v_labels := p_labels[i]::jsonb;
    v_owners := CASE WHEN p_owners[i] IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(p_owners[i]::jsonb)) END;
    IF p_type[i] = 'ADDED' THEN
      INSERT INTO objects (api_group, resource, namespace, name, uid, resource_version, labels, owner_uids, object)
        VALUES (p_group[i], p_resource[i], p_namespace[i], p_name[i], p_uid[i], v_rv, v_labels, v_owners, v_text)
        ON CONFLICT DO NOTHING;
      CONTINUE WHEN NOT FOUND;
      v_prev := NULL;
    ELSE
      -- Every writer holds the write lock: the row read here is the row changed below.
      SELECT o.object INTO v_prev FROM objects o
        WHERE o.api_group = p_group[i] AND o.resource = p_resource[i] AND o.namespace = p_namespace[i] COLLATE "C" AND o.name = p_name[i] COLLATE "C"
          AND o.resource_version = p_expected[i];
      CONTINUE WHEN NOT FOUND;
      IF p_type[i] = 'MODIFIED' THEN
        UPDATE objects o SET resource_version = v_rv, labels = v_labels, owner_uids = v_owners, object = v_text
          WHERE o.api_group = p_group[i] AND o.resource = p_resource[i] AND o.namespace = p_namespace[i] COLLATE "C" AND o.name = p_name[i] COLLATE "C";
      ELSE
        DELETE FROM objects o
          WHERE o.api_group = p_group[i] AND o.resource = p_resource[i] AND o.namespace = p_namespace[i] COLLATE "C" AND o.name = p_name[i] COLLATE "C";
      END IF;
    END IF;
    INSERT INTO changes (rv, type, api_group, resource, namespace, name, labels, object, prev_object)
      VALUES (v_rv, p_type[i], p_group[i], p_resource[i], p_namespace[i], p_name[i], v_labels, v_text, v_prev);
    n := i;
    rv := v_rv;
    RETURN NEXT;
  END LOOP;
  -- The payload is the sequence's last value: with the write lock held, the highest rv this call took. A process that
  -- has already handed out everything up to it (its own writes, see ChangeFeed.offerLocal) skips the read.
  PERFORM pg_notify('ark_changes', (SELECT last_value FROM changes_rv_seq)::text);
END
$$;
