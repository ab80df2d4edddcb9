import { startMockModel } from "@ark/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createModelProvider } from "./index.js";
import { ModelCallLimiter } from "./model-limits.js";
import type { ChatResult, ModelProvider } from "./provider.js";

/** A provider whose calls stay open until the test ends them, counting how many are open at once. */
function heldProvider() {
  const open: Array<() => void> = [];
  let inFlight = 0;
  let most = 0;
  const provider: ModelProvider = {
    type: "openai",
    model: "m",
    description: "model ns/m",
    chat: () =>
      new Promise<ChatResult>((resolve) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        open.push(() => {
          inFlight -= 1;
          resolve({ message: { role: "assistant", content: "ok" }, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, finishReason: "stop" });
        });
      }),
  };
  return { provider, open, stats: () => ({ inFlight, most }) };
}

const ask = { messages: [{ role: "user" as const, content: "hi" }] };

describe("Model spec.limits", () => {
  afterEach(() => vi.useRealTimers());

  it("concurrentCalls: calls beyond the limit wait, in order, and start as earlier ones finish — across queries of the same Model", async () => {
    const limiter = new ModelCallLimiter();
    const held = heldProvider();
    // Two queries' providers for the same Model share its limit.
    const a = limiter.limit(held.provider, "ns/m", { concurrentCalls: 2 });
    const b = limiter.limit(held.provider, "ns/m", { concurrentCalls: 2 });
    const calls = [a.chat(ask), b.chat(ask), a.chat(ask), b.chat(ask), a.chat(ask)];
    await vi.waitFor(() => expect(held.stats().inFlight).toBe(2), { timeout: 10_000 });
    while (held.open.length > 0 || held.stats().inFlight > 0) {
      held.open.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect((await Promise.all(calls)).map((r) => r.message.content)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(held.stats().most).toBe(2);
    // Another Model is not held back by this one's limit.
    const other = limiter.limit(held.provider, "ns/other", { concurrentCalls: 1 });
    void other.chat(ask);
    await vi.waitFor(() => expect(held.stats().inFlight).toBe(1), { timeout: 10_000 });
    held.open.shift()?.();
  });

  it("requestsPerMinute: the call past the limit starts once the first of the minute is 60 s old", async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new ModelCallLimiter();
    const held = heldProvider();
    const limited = limiter.limit(held.provider, "ns/m", { requestsPerMinute: 2 });
    void limited.chat(ask);
    void limited.chat(ask);
    let thirdStarted = false;
    void limited.chat(ask).then(() => (thirdStarted = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(held.stats().inFlight).toBe(2);
    held.open.splice(0).forEach((finish) => finish());
    await vi.advanceTimersByTimeAsync(59_000);
    expect(held.stats().inFlight).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.stats().inFlight).toBe(1);
    held.open.splice(0).forEach((finish) => finish());
    await vi.advanceTimersByTimeAsync(0);
    expect(thirdStarted).toBe(true);
  });

  it("a waiting call ends with its query's abort, freeing its place; a Model without limits is not wrapped", async () => {
    const limiter = new ModelCallLimiter();
    const held = heldProvider();
    const limited = limiter.limit(held.provider, "ns/m", { concurrentCalls: 1 });
    void limited.chat(ask);
    const abort = new AbortController();
    const waiting = limited.chat({ ...ask, signal: abort.signal });
    abort.abort(new Error("query timed out"));
    await expect(waiting).rejects.toThrow("query timed out");
    const next = limited.chat(ask);
    held.open.shift()?.();
    await vi.waitFor(() => expect(held.open).toHaveLength(1), { timeout: 10_000 });
    held.open.shift()?.();
    expect((await next).message.content).toBe("ok");
    expect(limiter.limit(held.provider, "ns/free", undefined)).toBe(held.provider);
  });

  it("createModelProvider enforces a Model's limits on real calls (concurrentCalls 1: the mock never sees two at once)", async () => {
    const mock = await startMockModel();
    try {
      let open = 0;
      let most = 0;
      mock.setDefault(async () => {
        open += 1;
        most = Math.max(most, open);
        await new Promise((resolve) => setTimeout(resolve, 30));
        open -= 1;
        return { text: "fine" };
      });
      const config = { type: "openai", model: "mock-model", baseUrl: mock.url, apiKey: "k", resource: "ns/limited" };
      const limiter = new ModelCallLimiter();
      await Promise.all([1, 2, 3].map(() => createModelProvider(config, { limiter }).chat(ask)));
      expect(most).toBe(3);
      most = 0;
      // One provider per query, as the worker makes them: the Model's limit holds across them.
      const results = await Promise.all([1, 2, 3].map(() => createModelProvider({ ...config, limits: { concurrentCalls: 1 } }, { limiter }).chat(ask)));
      expect(results.map((r) => r.message.content)).toEqual(["fine", "fine", "fine"]);
      expect(most).toBe(1);
    } finally {
      await mock.close();
    }
  });
});
