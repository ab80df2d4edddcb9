import type { QueryBus } from "@ark/bus";
import type { ProviderOptions } from "@ark/engine";
import type { ArkClient, ValueSourceReader } from "@ark/kube";
import type { QueryEvent } from "@ark/types";

/** What evaluations read: resources through the Kubernetes API, recorded events from the bus. */
export interface EvaluatorDeps {
  ark: ArkClient;
  values: ValueSourceReader;
  bus: QueryBus<QueryEvent>;
  providerOptions?: ProviderOptions;
  judgeTimeoutMs: number;
  judgeConcurrency: number;
}
