import type { Service } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemoryConfig } from "../config.js";
import { memoryServiceFor } from "../test-support/memory-service.js";

interface SessionsPage {
  sessions: { id: string; messageCount: number; createdAt: string; updatedAt: string }[];
  nextCursor: string | null;
}

describe.skipIf(!testPostgres())("session routes", () => {
  let db: TestDatabase;
  let service: Service<MemoryConfig>;
  const inject = (method: "GET" | "PUT" | "DELETE" | "POST", url: string, payload?: object) => service.app.inject({ method, url, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    db = await createTestDatabase({ label: "memory-sessions" });
    service = await memoryServiceFor(db.url);
    for (const [id, count] of [
      ["b-session", 2],
      ["a-session", 1],
      ["c-session", 3],
      ["d-session", 1],
      ["e-session", 1],
    ] as const) {
      const messages = Array.from({ length: count }, (_, i) => ({ role: "user", content: `${id} ${i}` }));
      await inject("PUT", `/messages/${id}`, { messages });
    }
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it("lists sessions by id in pages with counts and timestamps", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await inject("GET", `/sessions?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as SessionsPage;
      ids.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(ids).toEqual(["a-session", "b-session", "c-session", "d-session", "e-session"]);

    const first = (await inject("GET", "/sessions")).json() as SessionsPage;
    expect(first.nextCursor).toBeNull();
    const c = first.sessions.find((s) => s.id === "c-session")!;
    expect(c.messageCount).toBe(3);
    expect(Date.parse(c.createdAt)).not.toBeNaN();
    expect(Date.parse(c.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.createdAt));
  });

  it("reads one session, moves updatedAt on append, and answers 404 for an unknown one", async () => {
    const before = (await inject("GET", "/sessions/d-session")).json();
    await inject("PUT", "/messages/d-session", { messages: [{ role: "assistant", content: "more" }] });
    const after = (await inject("GET", "/sessions/d-session")).json();
    expect(after).toMatchObject({ id: "d-session", messageCount: 2, createdAt: before.createdAt });
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
    const missing = await inject("GET", "/sessions/nobody");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('session "nobody" not found');
  });

  it("deletes through /sessions/{id} with 204 and rejects bad input", async () => {
    expect((await inject("DELETE", "/sessions/e-session")).statusCode).toBe(204);
    expect((await inject("GET", "/sessions/e-session")).statusCode).toBe(404);
    expect((await inject("GET", "/messages/e-session")).json()).toEqual({ messages: [] });
    expect((await inject("GET", "/sessions?limit=1001")).statusCode).toBe(400);
    expect((await inject("GET", "/sessions?cursor=a%2Fb")).statusCode).toBe(400);
    expect((await inject("POST", "/sessions/x", {})).statusCode).toBe(405);
  });
});
