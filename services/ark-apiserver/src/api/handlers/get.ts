import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { checkSubresource, getOrNotFound, requestKey } from "../object-key.js";

export async function getObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  checkSubresource(req);
  // resourceVersion=0: any version will do, which Kubernetes serves from its watch cache. Here: this process's cache,
  // which holds its own writes at once and other replicas' as the change feed brings them (docs/architecture.md §2.1).
  // An object it does not hold is read from storage, so a 404 is never stale. Any other GET reads storage.
  if (req.query.get("resourceVersion") === "0") {
    const cached = ctx.cache.current(requestKey(req));
    if (cached) {
      const { text } = cached;
      return {
        code: 200,
        json: text,
        // Parsed only when a caller needs the object (a Table).
        get body() {
          return JSON.parse(text) as unknown;
        },
      };
    }
  }
  const stored = await getOrNotFound(ctx, req);
  return { code: 200, json: stored.text, body: stored.object };
}
