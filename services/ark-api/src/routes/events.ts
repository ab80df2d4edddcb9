import type { ServiceApp } from "@ark/service-kit";
import type { CoreV1Event } from "@kubernetes/client-node";
import { z } from "zod";
import type { ApiContext } from "../context.js";
import { toIso } from "../dto/kind-dto.js";
import { kubeCall } from "../http/kube-errors.js";
import { nameParams, namespaceParams } from "../http/schemas.js";
import { pageOf } from "../kinds/paging.js";

const EventQuery = z.object({
  type: z.enum(["Normal", "Warning"]).optional(),
  kind: z.string().optional().describe("Kind of the involved object."),
  name: z.string().optional().describe("Part of the involved object's name (case-insensitive)."),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  page: z.coerce.number().int().min(1).default(1),
});

/** Kubernetes Events in upstream's flat shape. */
function eventView(event: CoreV1Event) {
  return {
    name: event.metadata?.name,
    namespace: event.metadata?.namespace,
    type: event.type,
    reason: event.reason,
    message: event.message,
    source_component: event.source?.component ?? event.reportingComponent,
    source_host: event.source?.host,
    involved_object_kind: event.involvedObject?.kind,
    involved_object_name: event.involvedObject?.name,
    involved_object_namespace: event.involvedObject?.namespace,
    involved_object_uid: event.involvedObject?.uid,
    first_timestamp: toIso(event.firstTimestamp),
    last_timestamp: toIso(event.lastTimestamp),
    count: event.count,
    creation_timestamp: toIso(event.metadata?.creationTimestamp),
    uid: event.metadata?.uid,
  };
}

export function registerEventRoutes(app: ServiceApp, ctx: ApiContext): void {
  const tags = ["events"];
  app.get(
    "/v1/namespaces/:namespace/events",
    {
      schema: { tags, summary: "List Kubernetes events, newest first", params: namespaceParams, querystring: EventQuery },
    },
    async (request) => {
      const { type, kind, name, limit, page } = request.query;
      const list = await kubeCall("event list", () => ctx.core.api.listNamespacedEvent({ namespace: request.params.namespace }));
      const needle = name?.toLowerCase();
      const matching = list.items
        .filter((e) => (!type || e.type === type) && (!kind || e.involvedObject?.kind === kind))
        .filter((e) => !needle || (e.involvedObject?.name ?? "").toLowerCase().includes(needle))
        .map(eventView)
        .sort((a, b) => (b.creation_timestamp ?? "").localeCompare(a.creation_timestamp ?? ""));
      const result = pageOf(matching, { limit, page });
      return { items: result.items, total: result.total };
    },
  );

  app.get("/v1/namespaces/:namespace/events/:name", { schema: { tags, summary: "Get one event", params: nameParams } }, async (request) => {
    const { namespace, name } = request.params;
    return eventView(await kubeCall(`Event '${name}' in namespace ${namespace}`, () => ctx.core.api.readNamespacedEvent({ namespace, name })));
  });
}
