import type { KubeObject } from "../../kube-object.js";
import { matchesFields } from "../../selectors/field-selector.js";
import { apiVersionOf, type ApiContext, type ApiReply, type ResourceRequest } from "../context.js";
import { decodeContinue, encodeContinue, selectionFrom } from "../list-options.js";
import { statusErrors } from "../status.js";

const TOO_OLD_CONTINUE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.";

export interface ListedObjects {
  resourceVersion: number;
  /** Stored JSON texts, in key order. */
  items: string[];
  continueToken?: string;
}

/** The objects a list request selects (label, field, namespace, limit + continue). */
export async function selectObjects(ctx: ApiContext, req: ResourceRequest): Promise<ListedObjects> {
  const { rt, query } = req;
  const selection = selectionFrom(query, req.namespace);
  const limitText = query.get("limit");
  const limit = limitText ? Number(limitText) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw statusErrors.badRequest(`invalid limit: ${limitText}`);
  const continueText = query.get("continue");
  const token = continueText ? decodeContinue(continueText) : undefined;
  if (token) {
    const oldest = await ctx.changeLog.oldest();
    if (oldest !== null && token.rv < oldest - 1) throw statusErrors.expired(TOO_OLD_CONTINUE);
  }
  if (selection.empty) return { resourceVersion: token?.rv ?? (await ctx.changeLog.latest()), items: [] };
  const result = await ctx.store.list(
    {
      group: rt.group,
      resource: rt.plural,
      ...selection.query,
      ...(token ? { after: { namespace: token.namespace, name: token.name } } : {}),
      ...(limit ? { limit } : {}),
    },
    token?.rv,
  );
  const resourceVersion = token?.rv ?? result.resourceVersion;
  const last = result.items[result.items.length - 1];
  const continueToken = result.more && last ? encodeContinue({ rv: resourceVersion, namespace: last.namespace, name: last.name }) : undefined;
  let items = result.items.map((i) => i.text);
  if (selection.otherFields.length > 0) {
    items = items.filter((text) => matchesFields(selection.otherFields, JSON.parse(text) as KubeObject));
  }
  return { resourceVersion, items, ...(continueToken ? { continueToken } : {}) };
}

export async function listObjects(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const listed = await selectObjects(ctx, req);
  const metadata = JSON.stringify({
    resourceVersion: String(listed.resourceVersion),
    ...(listed.continueToken ? { continue: listed.continueToken } : {}),
  });
  const head = `{"kind":${JSON.stringify(req.rt.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(req.rt))},"metadata":${metadata},"items":[`;
  return { code: 200, json: `${head}${listed.items.join(",")}]}` };
}
