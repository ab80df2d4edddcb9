import type pg from "pg";
import type { ChangeType } from "./schema.js";

export interface Change {
  rv: number;
  type: ChangeType;
  group: string;
  resource: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Object JSON text as stored (its resourceVersion is rv). */
  object: string;
  prevObject: string | null;
}

interface ChangeRow {
  rv: string;
  type: ChangeType;
  api_group: string;
  resource: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  object: string;
  prev_object: string | null;
}

const COLUMNS = "rv, type, api_group, resource, namespace, name, labels, object, prev_object";

function toChange(r: ChangeRow): Change {
  return {
    rv: Number(r.rv),
    type: r.type,
    group: r.api_group,
    resource: r.resource,
    namespace: r.namespace,
    name: r.name,
    labels: r.labels,
    object: r.object,
    prevObject: r.prev_object,
  };
}

export interface Replay {
  /** Oldest retained change; a watch from an rv below oldest - 1 has lost events. */
  oldest: number | null;
  changes: Change[];
}

export class ChangeLog {
  constructor(private readonly pool: pg.Pool) {}

  async after(rv: number, limit: number): Promise<Change[]> {
    const { rows } = await this.pool.query<ChangeRow>({
      name: "changes-after",
      text: `SELECT ${COLUMNS} FROM changes WHERE rv > $1 ORDER BY rv LIMIT $2`,
      values: [rv, limit],
    });
    return rows.map(toChange);
  }

  /** The first `limit` changes of one resource after rv, and the oldest retained rv, from one snapshot. */
  async replay(group: string, resource: string, rv: number, limit: number): Promise<Replay> {
    const { rows } = await this.pool.query<ChangeRow & { oldest: string | null }>(
      `WITH m AS (SELECT min(rv) AS oldest FROM changes),
         c AS (SELECT ${COLUMNS} FROM changes WHERE rv > $1 AND api_group = $2 AND resource = $3 ORDER BY rv LIMIT $4)
       SELECT m.oldest, ${COLUMNS.split(", ")
         .map((c) => `c.${c}`)
         .join(", ")}
       FROM m LEFT JOIN c ON true
       ORDER BY c.rv`,
      [rv, group, resource, Math.max(1, Math.floor(limit))],
    );
    const oldest = rows[0]?.oldest == null ? null : Number(rows[0].oldest);
    return { oldest, changes: rows.filter((r) => r.rv !== null).map(toChange) };
  }

  async oldest(): Promise<number | null> {
    const { rows } = await this.pool.query<{ oldest: string | null }>("SELECT min(rv)::text AS oldest FROM changes");
    return rows[0]?.oldest == null ? null : Number(rows[0].oldest);
  }

  async latest(): Promise<number> {
    const { rows } = await this.pool.query<{ latest: string }>("SELECT coalesce(max(rv), 0)::text AS latest FROM changes");
    return Number(rows[0]!.latest);
  }

  /** Drops changes beyond the newest `keep` or older than `maxAgeSeconds`; the newest one always stays. */
  async prune(keep: number, maxAgeSeconds: number): Promise<number> {
    const result = await this.pool.query(
      `WITH newest AS (SELECT max(rv) AS rv FROM changes)
       DELETE FROM changes USING newest WHERE changes.rv < newest.rv
         AND (changes.rv <= newest.rv - $1 OR changes.created_at < now() - make_interval(secs => $2))`,
      [Math.max(1, keep), maxAgeSeconds],
    );
    return result.rowCount ?? 0;
  }
}
