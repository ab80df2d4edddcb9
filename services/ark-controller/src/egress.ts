import { EgressGuard, HttpPools } from "@ark/engine";
import type { ControllerConfig } from "./config.js";

/**
 * Where the controller's outbound calls may go. Tenant tools (HTTP tools, MCP servers) may not reach loopback,
 * private or link-local addresses nor ARK's services unless ARK_EGRESS_ALLOW opens them; models and memory
 * services are platform addresses (the dev stack's mock model is on 127.0.0.1). Metadata addresses: never.
 */
export interface ControllerEgress {
  tenant: EgressGuard;
  platform: EgressGuard;
  /** Connection pools for models and memory services, through `platform`. */
  platformPools: HttpPools;
  close(): Promise<void>;
}

export function controllerEgress(config: Pick<ControllerConfig, "ARK_EGRESS_ALLOW" | "ARK_EGRESS_DENY">): ControllerEgress {
  const rules = { allow: config.ARK_EGRESS_ALLOW, deny: config.ARK_EGRESS_DENY };
  const tenant = new EgressGuard({ ...rules, blockInternal: true });
  const platform = new EgressGuard(rules);
  const platformPools = new HttpPools({ egress: platform });
  return {
    tenant,
    platform,
    platformPools,
    async close() {
      await platformPools.close();
      await Promise.all([tenant.close(), platform.close()]);
    },
  };
}
