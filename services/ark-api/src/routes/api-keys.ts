import { ArkError, canReadSecretsIn, principalOf, requireAllNamespaces, type ApiKeyStore, type ServiceApp } from "@ark/service-kit";
import { z } from "zod";
import { kubeCall } from "../http/kube-errors.js";
import { unprocessable } from "../http/validation.js";

const namespaceName = z
  .string()
  .regex(/^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/, "must be a namespace name or *")
  .max(63);
const CreateApiKey = z.object({
  name: z.string().min(1).max(100).describe("What the key is for."),
  namespaces: z.array(namespaceName).min(1).describe('Namespaces the key may use; ["*"] for all (and key management).'),
  secretNamespaces: z.array(namespaceName).optional().describe("Namespaces whose Secrets the key's queries may read (parameters from a Secret); none when absent."),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe("When the key stops working (RFC 3339); never when absent."),
});

/** Key management; the key is in the create response only. */
export function registerApiKeyRoutes(app: ServiceApp, keys: ApiKeyStore): void {
  const tags = ["api-keys"];
  app.addHook("onRequest", async (request) => requireAllNamespaces(request));

  app.post("/v1/api-keys", { schema: { tags, summary: "Create an API key (shown once)", body: CreateApiKey } }, async (request, reply) => {
    const { name, namespaces, secretNamespaces, expiresAt } = request.body;
    const principal = principalOf(request);
    // A key never grants Secret access its creator lacks.
    const beyond = (secretNamespaces ?? []).find((namespace) => (namespace === "*" ? !principal.secretNamespaces.includes("*") : !canReadSecretsIn(principal, namespace)));
    if (beyond !== undefined) throw new ArkError("FORBIDDEN", `${principal.id} may not read Secrets in ${beyond === "*" ? "every namespace" : `namespace ${beyond}`}, so cannot grant it (secretNamespaces)`);
    if (expiresAt !== undefined && !(Date.parse(expiresAt) > Date.now())) {
      throw unprocessable([{ field: "body.expiresAt", type: "Invalid value", value: expiresAt, detail: "must be in the future" }], "api key");
    }
    const created = await kubeCall("api key", () => keys.create({ name, namespaces, ...(secretNamespaces ? { secretNamespaces } : {}), ...(expiresAt ? { expiresAt } : {}) }));
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
