import type { QueryBus } from "@ark/bus";
import type { ArkClient, CoreClient } from "@ark/kube";
import type { Principal } from "@ark/service-kit";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";

/** What the MCP tools and resources work with; one set per process, shared by every session. */
export interface ArkMcpDeps {
  kc: KubeConfig;
  ark: ArkClient;
  core: CoreClient;
  bus: QueryBus<QueryEvent>;
  defaultNamespace: string;
  /** How long `query` waits when the call gives no timeout. */
  queryTimeoutMs: number;
  /** Who opened the session: tools and resources answer only for the principal's namespaces. */
  principal: Principal;
}
