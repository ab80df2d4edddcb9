import { requireAllNamespaces, visibleNamespaces, type ServiceApp } from "@ark/service-kit";
import { z } from "zod";
import type { ApiContext } from "../context.js";
import { kubeCall } from "../http/kube-errors.js";
import { bodyCheckedByRoute } from "../http/schemas.js";
import { checkNamespaceName } from "../http/names.js";

const CreateNamespace = z.object({ name: z.string() });

export function registerNamespaceRoutes(app: ServiceApp, ctx: ApiContext): void {
  const tags = ["namespaces"];
  app.get("/v1/namespaces", { schema: { tags, summary: "List the namespaces the caller may use" } }, async (request) => {
    const list = await kubeCall("namespace list", () => ctx.core.api.listNamespace());
    const names = list.items.map((ns) => ns.metadata?.name ?? "").filter(Boolean);
    const items = visibleNamespaces(request, names).map((name) => ({ name }));
    return { items, count: items.length };
  });

  app.post(
    "/v1/namespaces",
    {
      schema: { tags, summary: "Create a namespace", body: CreateNamespace },
      validatorCompiler: bodyCheckedByRoute,
    },
    async (request) => {
      requireAllNamespaces(request);
      const name = checkNamespaceName((request.body as { name?: unknown } | undefined)?.name);
      await kubeCall(`namespace ${name}`, () => ctx.core.api.createNamespace({ body: { metadata: { name } } }));
      return { name };
    },
  );
}
