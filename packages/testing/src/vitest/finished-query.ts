import { isFinishedQueryPhase } from "@ark/types";
import { vi } from "vitest";
import { type ArkApiTarget, getFromArkApi, type QueryDetail } from "../stack/ark-api.js";

/**
 * vi.waitFor / expect.poll options for a wait inside a test under the default 20 s test timeout: the wait gives up
 * just before the test would, so the failure says what was last seen rather than only "test timed out".
 */
export const WITHIN_TEST_TIMEOUT = { timeout: 18_000, interval: 50 } as const;

/** Reads a Query (undefined while it does not exist): an apiserver resource client, e.g. `stack.resources.ark.queries`. */
export interface QueryReader<Q> {
  get(namespace: string, name: string): Promise<Q | undefined>;
}

interface PhasedQuery {
  status?: { phase?: string };
}

function arkApiReader<Q>(arkApi: ArkApiTarget): QueryReader<Q> {
  return { get: (namespace, name) => getFromArkApi<Q>(arkApi, `/v1/namespaces/${namespace}/queries/${name}`) };
}

/**
 * The Query once it has finished (done, error or canceled) and its final status is written, read through an
 * apiserver client or ark-api. Fails after `timeout` ms with the status last seen.
 */
export async function finishedQuery<Q extends PhasedQuery = QueryDetail>(
  client: QueryReader<Q> | ArkApiTarget,
  namespace: string,
  name: string,
  { timeout = WITHIN_TEST_TIMEOUT.timeout, interval = WITHIN_TEST_TIMEOUT.interval }: { timeout?: number; interval?: number } = {},
): Promise<Q> {
  const reader = typeof client === "object" && "get" in client ? client : arkApiReader<Q>(client);
  return vi.waitFor(
    async () => {
      const last = await reader.get(namespace, name);
      if (last && isFinishedQueryPhase(last.status?.phase)) return last;
      throw new Error(`query ${namespace}/${name} did not finish in ${timeout} ms; last seen: ${last ? JSON.stringify(last.status) : "not found"}`);
    },
    { timeout, interval },
  );
}
