import { describe, expect, it } from "vitest";
import { MAX_QUERY_SNAPSHOT_CHARS, QueryRunJob } from "./run-job.js";

const job = {
  queryUid: "uid-1",
  namespace: "default",
  name: "weather",
  generation: 2,
  enqueuedAt: "2025-01-01T00:00:00.000Z",
  deadline: "2025-01-01T00:05:00.000Z",
};

const snapshot = {
  metadata: { name: "weather", namespace: "default", uid: "uid-1", annotations: { "ark.mckinsey.com/streaming-enabled": "true" } },
  spec: {
    input: "Weather in {{.city}}?",
    parameters: [{ name: "city", valueFrom: { configMapKeyRef: { name: "settings", key: "city" } } }],
    target: { type: "agent", name: "forecaster" },
    memory: { name: "chat" },
    sessionId: "s-1",
    ttl: "1h",
    timeout: "30s",
  },
};

/** What a worker gets from the JetStream bus: the job parsed, sent as JSON, parsed again. */
const overTheWire = (value: unknown) => QueryRunJob.parse(JSON.parse(JSON.stringify(QueryRunJob.parse(value))));

describe("QueryRunJob", () => {
  it("parses a job from an older controller, without the Query", () => {
    const parsed = overTheWire(job);
    expect(parsed).toEqual(job);
    expect(parsed.query).toBeUndefined();
  });

  it("carries the Query's metadata and spec to the worker unchanged", () => {
    expect(overTheWire({ ...job, query: snapshot })).toEqual({ ...job, query: snapshot });
  });

  it("fills the spec's defaults (timeout, ttl) the way the API does", () => {
    const parsed = overTheWire({ ...job, query: { ...snapshot, spec: { input: "hi", target: { type: "model", name: "m" } } } });
    expect(parsed.query?.spec).toMatchObject({ timeout: "5m", ttl: "720h" });
  });

  it("drops an invalid or oversized snapshot but keeps the job, so the worker reads the Query instead", () => {
    const invalid = { ...snapshot, spec: { target: { type: "agent", name: "forecaster" } } };
    const huge = { ...snapshot, spec: { ...snapshot.spec, input: "x".repeat(MAX_QUERY_SNAPSHOT_CHARS) } };
    for (const query of [invalid, huge]) {
      const parsed = overTheWire({ ...job, query });
      expect(parsed).toEqual(job);
      expect(parsed.query).toBeUndefined();
    }
  });

  it("still rejects a job that does not say which query", () => {
    expect(QueryRunJob.safeParse({ ...job, queryUid: "", query: snapshot }).success).toBe(false);
  });
});
