import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { checkSubresource, getOrNotFound } from "../object-key.js";

export async function getObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  checkSubresource(req);
  const stored = await getOrNotFound(ctx, req);
  return { code: 200, json: stored.text, body: stored.object };
}
