import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { checkSubresource, getOrNotFound, requestKey } from "../object-key.js";
import { statusErrors } from "../status.js";
import { cacheReaches } from "./list.js";

/**
 * A GET reads storage, unless it names a resourceVersion, which Kubernetes answers from its watch cache
 * (docs/architecture.md §2.1): `0`, any version will do — this process's cache as it is, which holds its own writes
 * at once and other replicas' as the change feed brings them; N, not older than N — the cache once it holds every
 * change up to N (504 if it cannot get there, as a list). An object the cache does not hold is read from storage, so
 * a 404 is never stale.
 */
export async function getObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  checkSubresource(req);
  const rvText = req.query.get("resourceVersion");
  if (rvText) {
    const rv = Number(rvText);
    if (!Number.isSafeInteger(rv) || rv < 0) throw statusErrors.badRequest(`invalid resource version: ${rvText}`);
    if (rv > 0) await cacheReaches(ctx, rv);
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
