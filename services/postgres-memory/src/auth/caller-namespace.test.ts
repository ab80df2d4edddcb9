import { MEMORY_TOKEN_AUDIENCE, namespaceToken, type Service } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemoryConfig } from "../config.js";
import { memoryServiceFor } from "../test-support/memory-service.js";

const SECRET = "a-test-secret-of-at-least-32-characters";
const tokenFor = (namespace: string, secret = SECRET) => `Bearer ${namespaceToken(secret, MEMORY_TOKEN_AUDIENCE, namespace)}`;

describe.skipIf(!testPostgres())("postgres-memory authenticates callers and keeps each namespace's sessions apart", () => {
  let db: TestDatabase;
  let service: Service<MemoryConfig>;
  beforeAll(async () => {
    db = await createTestDatabase({ label: "memory-caller-auth" });
    service = await memoryServiceFor(db.url, { MEMORY_AUTH: "token", MEMORY_AUTH_SECRET: SECRET });
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  const inject = (method: "GET" | "PUT" | "DELETE", url: string, authorization?: string, payload?: unknown) =>
    service.app.inject({ method, url, headers: authorization ? { authorization } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

  it("answers 401 without a token or with one minted with another secret; health stays open", async () => {
    expect((await inject("GET", "/messages/s1")).statusCode).toBe(401);
    expect((await inject("GET", "/sessions")).statusCode).toBe(401);
    expect((await inject("PUT", "/messages/s1", undefined, { messages: [{ role: "user", content: "x" }] })).statusCode).toBe(401);
    expect((await inject("GET", "/messages/s1", tokenFor("team-a", "another-secret-of-at-least-32-characters"))).statusCode).toBe(401);
    expect((await inject("GET", "/health")).statusCode).toBe(200);
  });

  it("never shows one namespace's session to another, even under the same session id", async () => {
    const secret = { role: "user", content: "team-a's secret plan" };
    expect((await inject("PUT", "/messages/user-42", tokenFor("team-a"), { messages: [secret] })).statusCode).toBe(200);
    expect((await inject("GET", "/messages/user-42", tokenFor("team-a"))).json()).toEqual({ messages: [secret] });

    expect((await inject("GET", "/messages/user-42", tokenFor("team-b"))).json()).toEqual({ messages: [] });
    expect((await inject("GET", "/sessions/user-42", tokenFor("team-b"))).statusCode).toBe(404);
    expect((await inject("GET", "/sessions", tokenFor("team-b"))).json().sessions).toEqual([]);
    expect((await inject("DELETE", "/messages/user-42", tokenFor("team-b"))).statusCode).toBe(204);

    const listed = (await inject("GET", "/sessions", tokenFor("team-a"))).json() as { sessions: { id: string }[] };
    expect(listed.sessions.map((s) => s.id)).toEqual(["user-42"]);
    expect((await inject("GET", "/sessions/user-42", tokenFor("team-a"))).json()).toMatchObject({ id: "user-42", messageCount: 1 });
  });
});
