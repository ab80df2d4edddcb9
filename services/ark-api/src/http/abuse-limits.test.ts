import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const ADMIN_KEY = "admin-key-for-tests-0123456789";
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe.skipIf(!testPostgres())("failed authentication, event streams, the operator's rate limit and CORS", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack("ark-api-abuse-limits");
  });
  afterAll(async () => stack?.close());

  const get = (base: string, path: string, headers: Record<string, string> = {}, signal?: AbortSignal) => fetch(`${base}${path}`, { headers, ...(signal ? { signal } : {}) });

  it("limits failed authentications per address before checking credentials (brute force)", async () => {
    const url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY, AUTH_FAILURES_PER_MINUTE: "3" })).url;
    expect((await get(url, "/v1/namespaces/default/agents", bearer(ADMIN_KEY))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get(url, "/v1/namespaces/default/agents", bearer(`ark_0123456789abcdef_guess${i}guessguessguessguess`))).status).toBe(401);
    const limited = await get(url, "/v1/namespaces/default/agents", bearer("ark_0123456789abcdef_guess4guessguessguessguess"));
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/too many failed authentications/);
    // The address is refused before its credentials are looked at, so guessing stops here.
    expect((await get(url, "/v1/namespaces/default/agents", bearer(ADMIN_KEY))).status).toBe(429);
  });

  it("does not throttle the operator: auth none (a local ark dev) and the admin key", async () => {
    const open = (await stack.startApi({ ARK_API_AUTH: "none", RATE_LIMIT_PER_MINUTE: "3" })).url;
    for (let i = 0; i < 6; i++) expect((await get(open, "/v1/namespaces/default/agents")).status).toBe(200);
    const keyed = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY, RATE_LIMIT_PER_MINUTE: "3" })).url;
    for (let i = 0; i < 6; i++) expect((await get(keyed, "/v1/namespaces/default/agents", bearer(ADMIN_KEY))).status).toBe(200);
  });

  it("caps the event streams one principal holds open (MAX_STREAMS_PER_PRINCIPAL)", async () => {
    const url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY, MAX_STREAMS_PER_PRINCIPAL: "2" })).url;
    const key = (
      (await (
        await fetch(`${url}/v1/api-keys`, {
          method: "POST",
          headers: { ...bearer(ADMIN_KEY), "content-type": "application/json" },
          body: JSON.stringify({ name: "streamer", namespaces: ["default"] }),
        })
      ).json()) as { key: string }
    ).key;
    // No controller runs here: the query stays pending and its event stream open.
    expect((await stack.call("POST", "/v1/namespaces/default/queries", { name: "held-open", input: "hi", target: { type: "agent", name: "nobody" } })).status).toBe(200);
    const path = "/v1/namespaces/default/queries/held-open/events";
    const aborts = [new AbortController(), new AbortController()];
    // The streams' responses stay referenced: fetch cancels the body of a Response that is garbage collected, which
    // would close its stream and free its slot in the middle of the test.
    const held: Response[] = [];
    for (const abort of aborts) held.push(await get(url, path, bearer(key), abort.signal));
    expect(held.map((response) => response.status)).toEqual([200, 200]);
    const third = await get(url, path, bearer(key));
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { message: string } }).error.message).toMatch(/2 event streams open/);
    // A create that would stream its events is refused the same way, before the query exists.
    const streamedCreate = await fetch(`${url}/v1/namespaces/default/queries`, {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ name: "not-streamed", input: "hi", target: { type: "agent", name: "nobody" } }),
    });
    expect(streamedCreate.status).toBe(429);
    expect((await stack.call("GET", "/v1/namespaces/default/queries/not-streamed")).status).toBe(404);
    expect((await get(url, path, bearer(ADMIN_KEY), AbortSignal.timeout(2000))).status).toBe(200);

    aborts[0]!.abort();
    await expect
      .poll(
        async () => {
          const again = new AbortController();
          const status = (await get(url, path, bearer(key), again.signal)).status;
          again.abort();
          return status;
        },
        { timeout: 5000 },
      )
      .toBe(200);
    aborts[1]!.abort();
    // Only now are the held streams let go.
    held.length = 0;
  });

  it("answers CORS_ORIGINS=* with * and no credentials, never the caller's origin", async () => {
    const url = (await stack.startApi({ CORS_ORIGINS: "*" })).url;
    const preflight = await fetch(`${url}/v1/namespaces/default/agents`, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const none = (await stack.startApi({})).url;
    const refused = await fetch(`${none}/v1/namespaces/default/agents`, { headers: { origin: "http://evil.example" } });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });
});
