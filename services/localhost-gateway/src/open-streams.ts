import type { ServerResponse } from "node:http";
import type { ServiceApp } from "@ark/service-kit";

/** Proxied event streams never end on their own: close them when the gateway stops, so shutdown does not wait them out. */
export function closeOpenStreamsOnStop(app: ServiceApp): void {
  const open = new Set<ServerResponse>();
  app.addHook("onSend", async (_request, reply, payload) => {
    const type = reply.getHeader("content-type");
    if (typeof type === "string" && type.startsWith("text/event-stream")) {
      const raw = reply.raw;
      open.add(raw);
      raw.once("close", () => open.delete(raw));
    }
    return payload;
  });
  app.addHook("preClose", async () => {
    for (const raw of open) raw.destroy();
  });
}
