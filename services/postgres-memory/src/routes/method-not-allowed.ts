import { ArkError, type ServiceApp } from "@ark/service-kit";

/** Answers 405 with an Allow header for every method `url` does not serve (upstream did the same). */
export function registerMethodNotAllowed(app: ServiceApp, url: string, allowed: readonly string[]): void {
  const served = new Set([...allowed, "HEAD"]);
  const others = app.supportedMethods.filter((method) => !served.has(method) && method !== "CONNECT");
  const allow = [...served].join(", ");
  app.route({
    method: others,
    url,
    handler: async (request, reply) => {
      reply.header("allow", allow);
      throw new ArkError("METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${url.replace("*", "{sessionId}")}; allowed: ${allow}`);
    },
  });
}
