import { and, asc, eq, gt, like, sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { poolTransaction } from "@ark/service-kit";
import type pg from "pg";
import * as schema from "./schema.js";
import { messages, sessions } from "./schema.js";

export interface SessionSummary {
  id: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface MessagePage {
  /** Each message's JSON text, in session order. */
  messages: string[];
  nextCursor: string | null;
}

export interface SessionPage {
  sessions: SessionSummary[];
  nextCursor: string | null;
}

// 3 parameters per row stays far below PostgreSQL's 65535 bind parameters.
const INSERT_CHUNK_ROWS = 1_000;

function summaryOf(row: typeof sessions.$inferSelect, prefix = ""): SessionSummary {
  return { id: row.id.slice(prefix.length), messageCount: row.messageCount, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** Sessions and their messages in Postgres; messages travel as JSON text and are never re-encoded. */
export class MessageStore {
  private readonly db: NodePgDatabase<typeof schema>;

  constructor(private readonly pool: pg.Pool) {
    this.db = drizzle({ client: pool, schema });
  }

  /** Appends in one transaction; the upsert's row lock keeps each call's messages contiguous. Returns the new count. */
  async append(sessionId: string, messageTexts: readonly string[]): Promise<number> {
    const added = messageTexts.length;
    return poolTransaction(this.pool, schema, async (tx) => {
      const [session] = await tx
        .insert(sessions)
        .values({ id: sessionId, messageCount: added })
        .onConflictDoUpdate({
          target: sessions.id,
          set: { messageCount: sql`${sessions.messageCount} + excluded.message_count`, updatedAt: sql`now()` },
        })
        .returning({ messageCount: sessions.messageCount });
      const count = session!.messageCount;
      const first = count - added;
      for (let start = 0; start < added; start += INSERT_CHUNK_ROWS) {
        const chunk = messageTexts.slice(start, start + INSERT_CHUNK_ROWS);
        await tx.insert(messages).values(chunk.map((message, i) => ({ sessionId, position: first + start + i, message })));
      }
      return count;
    });
  }

  async readAll(sessionId: string): Promise<string[]> {
    const rows = await this.db.select({ message: messages.message }).from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.position));
    return rows.map((row) => row.message);
  }

  /** Messages after the cursor (a position); the cursor is exclusive, so a page never repeats one. */
  async readPage(sessionId: string, options: { limit: number; after?: number | undefined }): Promise<MessagePage> {
    const rows = await this.db
      .select({ position: messages.position, message: messages.message })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), gt(messages.position, options.after ?? -1)))
      .orderBy(asc(messages.position))
      .limit(options.limit + 1);
    const page = rows.slice(0, options.limit);
    const more = rows.length > options.limit;
    return { messages: page.map((row) => row.message), nextCursor: more ? String(page.at(-1)!.position) : null };
  }

  /** `prefix`: the caller's namespace part of stored ids, left out of the answer. */
  async getSession(sessionId: string, prefix = ""): Promise<SessionSummary | undefined> {
    const [row] = await this.db.select().from(sessions).where(eq(sessions.id, sessionId));
    return row ? summaryOf(row, prefix) : undefined;
  }

  /** Sessions by id; the cursor is the last id of the previous page. */
  /** Sessions by id, of one namespace when `prefix` (`<namespace>/`) is given; the cursor is the last id of the previous page. */
  async listSessions(options: { limit: number; cursor?: string | undefined; prefix?: string }): Promise<SessionPage> {
    const prefix = options.prefix ?? "";
    // Namespace names hold no LIKE wildcards ([a-z0-9-]), so the prefix needs no escaping.
    const inScope = prefix ? like(sessions.id, `${prefix}%`) : undefined;
    const after = options.cursor === undefined ? undefined : gt(sessions.id, prefix + options.cursor);
    const rows = await this.db
      .select()
      .from(sessions)
      .where(and(inScope, after))
      .orderBy(asc(sessions.id))
      .limit(options.limit + 1);
    const page = rows.slice(0, options.limit);
    const more = rows.length > options.limit;
    return { sessions: page.map((row) => summaryOf(row, prefix)), nextCursor: more ? page.at(-1)!.id.slice(prefix.length) : null };
  }

  /** Deletes the session and its messages; false when there was none. */
  async deleteSession(sessionId: string): Promise<boolean> {
    const deleted = await this.db.delete(sessions).where(eq(sessions.id, sessionId)).returning({ id: sessions.id });
    return deleted.length > 0;
  }
}
