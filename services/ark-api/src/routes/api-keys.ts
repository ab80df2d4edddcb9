import type { ServiceApp } from "@ark/service-kit";
import { ArkError } from "@ark/service-kit";
import { z } from "zod";
import type { ApiKeyStore } from "../auth/api-key-store.js";
import { requireAllNamespaces } from "../auth/principal.js";
import { kubeCall } from "../http/kube-errors.js";

const CreateApiKey = z.object({
  name: z.string().min(1).max(100).describe("What the key is for."),
  namespaces: z.array(z.string()).min(1).describe('Namespaces the key may use; ["*"] for all (and key management).'),
});

/** Key management; the key is in the create response only. */
export function registerApiKeyRoutes(app: ServiceApp, keys: ApiKeyStore): void {
  const tags = ["api-keys"];
  app.addHook("onRequest", async (request) => requireAllNamespaces(request));

  app.post("/v1/api-keys", { schema: { tags, summary: "Create an API key (shown once)", body: CreateApiKey } }, async (request, reply) => {
    const { name, namespaces } = request.body;
    const created = await kubeCall("api key", () => keys.create(name, namespaces));
    return reply.code(201).send(created);
  });

  app.get("/v1/api-keys", { schema: { tags, summary: "List API keys (without the keys)" } }, async () => {
    const items = await kubeCall("api key list", () => keys.list());
    return { items, count: items.length };
  });

  app.delete("/v1/api-keys/:id", { schema: { tags, summary: "Revoke an API key", params: z.object({ id: z.string().min(1).max(64) }) } }, async (request, reply) => {
    const revoked = await kubeCall("api key", () => keys.revoke(request.params.id));
    if (!revoked) throw new ArkError("NOT_FOUND", `API key '${request.params.id}' not found`);
    return reply.code(204).send();
  });
}
