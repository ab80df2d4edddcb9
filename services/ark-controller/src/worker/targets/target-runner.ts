import type { EventSink, ProviderOptions } from "@ark/engine";
import type { Query } from "@ark/kube";
import type { QueryTarget } from "@ark/types";
import type { ResourceLookup } from "../../references/lookup.js";
import type { ArkResources } from "../../resources.js";

/** Everything one target of a query needs to run. */
export interface TargetRun {
  query: Query;
  target: QueryTarget;
  /** The query input, its parameters already applied. */
  input: string;
  signal: AbortSignal;
  emit: EventSink;
  stream: boolean;
  resources: ArkResources;
  lookup: ResourceLookup;
  providerOptions?: ProviderOptions;
}

/** One module per target type (agent, team, model, tool) implements this. */
export type TargetRunner = (run: TargetRun) => Promise<{ content: string }>;
