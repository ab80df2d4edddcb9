import { ArkError, type ServiceApp } from "@ark/service-kit";
import { HOST_PREFIX } from "./host-routing.js";
import type { GatewayRoute } from "./routes.js";

function listing(routes: readonly GatewayRoute[], host: string | undefined) {
  const port = host?.match(/:(\d+)$/)?.[1];
  const gateway = `localhost${port ? `:${port}` : ""}`;
  return {
    service: "localhost-gateway",
    routes: routes.map(({ name, upstream }) => ({
      name,
      upstream,
      host: `http://${name}.${gateway}/`,
      path: `http://${gateway}/${name}/`,
    })),
  };
}

function unknownServiceName(url: string): string {
  const path = url.split("?", 1)[0] ?? "";
  const segments = (path.startsWith(`${HOST_PREFIX}/`) ? path.slice(HOST_PREFIX.length) : path).split("/");
  try {
    return decodeURIComponent(segments[1] ?? "");
  } catch {
    return segments[1] ?? "";
  }
}

/** `GET /` and `GET /_gateway` list the routes; anything else not proxied is a 404 naming the known services. */
export function registerIndexRoutes(app: ServiceApp, routes: readonly GatewayRoute[]): void {
  const list = (request: { headers: { host?: string } }) => listing(routes, request.headers.host);
  app.get("/", async (request) => list(request));
  app.get("/_gateway", async (request) => list(request));
  app.all("/*", async (request) => {
    const known = routes.map((route) => route.name).join(", ");
    throw new ArkError("NOT_FOUND", `no service "${unknownServiceName(request.url)}" behind the gateway (known: ${known})`);
  });
}
