import { commonServiceConfig, envPort } from "@ark/service-kit";
import { z } from "zod";
import { LOCAL_ROUTES, parseRoutes, type GatewayRoute } from "./routes.js";

const routesEnv = z.string().transform((raw, ctx): GatewayRoute[] => {
  try {
    return parseRoutes(raw);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `expected name=url,name=url or a JSON object: ${(err as Error).message}` });
    return z.NEVER;
  }
});

export const gatewayConfig = commonServiceConfig.extend({
  PORT: envPort().default(8080),
  /** The services behind the gateway; unset: the local stack's fixed ports on 127.0.0.1 (docs/architecture.md §6). */
  GATEWAY_ROUTES: routesEnv.default([...LOCAL_ROUTES]),
});

export type GatewayConfig = z.output<typeof gatewayConfig>;
