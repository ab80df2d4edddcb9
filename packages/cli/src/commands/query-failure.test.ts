import { createArkClient, type ArkClient } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryCreatedAfter, startApiStack, type ApiStack } from "../test-support/api-stack.js";

const target = { type: "agent" as const, name: "cashier" };

// docs/architecture.md §10: a failed query says whose failure it was and whether trying again may help.
describe.skipIf(!testPostgres())("ark query on a failed query", { timeout: 120_000 }, () => {
  let stack: ApiStack;
  let ark: ArkClient;

  beforeAll(async () => {
    stack = await startApiStack("cli-query-failure");
    ark = createArkClient(stack.kubeConfig);
  }, 60_000);
  afterAll(async () => stack?.close());

  /** Plays the worker: ends the query the CLI created with `failure`. */
  async function failNextQuery(failure: Partial<QueryEvent>) {
    const known = new Set((await ark.queries.list("default")).map((q) => q.metadata.name!));
    const running = stack.ark("query", "agent/cashier", "pay 500");
    const query = await queryCreatedAfter(ark, known);
    const ref = { namespace: "default", name: query.metadata.name!, queryUid: query.metadata.uid! };
    const time = new Date().toISOString();
    await stack.bus.publishEvent(ref, { type: "query.started", time, namespace: "default", name: ref.name, targets: [target] });
    await stack.bus.publishEvent(ref, { type: "query.failed", time, ...failure } as QueryEvent);
    return { name: ref.name, result: await running };
  }

  it("prints the message with the failure's origin and code, and whether it may pass another time", async () => {
    const missing = await failNextQuery({ message: 'spec.target: agent "cashier" not found in namespace default', code: "CONFIG_ERROR", origin: "user", retryable: false });
    expect(missing.result.code).not.toBe(0);
    expect(missing.result.stderr).toContain(`query ${missing.name} failed: spec.target: agent "cashier" not found in namespace default [user error, CONFIG_ERROR]`);
    const limited = await failNextQuery({ message: "model default/gpt: rate limited", code: "PROVIDER_RATE_LIMITED", origin: "third-party", retryable: true });
    expect(limited.result.stderr).toContain("failed: model default/gpt: rate limited [third-party error, PROVIDER_RATE_LIMITED, retryable]");
  });
});
