import { createService, listen, loadConfig, type CreateServiceOptions, type Service } from "@ark/service-kit";
import { gatewayConfig, type GatewayConfig } from "./config.js";
import { routeByHost } from "./host-routing.js";
import { registerIndexRoutes } from "./index-routes.js";
import { closeOpenStreamsOnStop } from "./open-streams.js";
import { closeConnectionsWithUnreadBodies, isRoutedPath, registerServiceProxies } from "./proxy.js";
import type { GatewayRoute } from "./routes.js";

export { gatewayConfig, type GatewayConfig } from "./config.js";
export { LOCAL_ROUTES, parseRoutes, type GatewayRoute } from "./routes.js";

export interface GatewayOptions {
  /** A parent logger (the dev stack passes one). */
  logger?: CreateServiceOptions<GatewayConfig>["logger"];
}

export interface RunningGateway {
  url: string;
  routes: readonly GatewayRoute[];
  service: Service<GatewayConfig>;
  stop(): Promise<void>;
}

/** Starts the gateway in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: GatewayConfig = loadConfig(gatewayConfig), options: GatewayOptions = {}): Promise<RunningGateway> {
  const service = createGateway(config, options);
  const { url, stop } = await listen(service);
  return { url, routes: config.GATEWAY_ROUTES, service, stop };
}

/** Builds the gateway, not yet listening; runService calls start(). */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Service<GatewayConfig> {
  const routes = config.GATEWAY_ROUTES;
  return createService({
    name: "localhost-gateway",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: async (app) => {
      routeByHost(app.server, (path) => isRoutedPath(routes, path));
      closeOpenStreamsOnStop(app);
      closeConnectionsWithUnreadBodies(app);
      registerIndexRoutes(app, routes);
      await registerServiceProxies(app, routes);
    },
  });
}
