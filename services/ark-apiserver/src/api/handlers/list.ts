import { Readable } from "node:stream";
import type { KubeObject } from "../../kube-object.js";
import { matchesFields } from "../../selectors/field-selector.js";
import type { ListResult } from "../../store/object-store.js";
import { FeedBehindError } from "../../watch/change-feed.js";
import { apiVersionOf, type ApiContext, type ApiReply, type ResourceRequest } from "../context.js";
import { checkListOptions, decodeContinue, encodeContinue, selectionFrom } from "../list-options.js";
import { statusErrors } from "../status.js";

const TOO_OLD_CONTINUE = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.";
const TOO_OLD_RESOURCE_VERSION = "The resourceVersion for the provided list is too old.";

export interface ListedObjects {
  resourceVersion: number;
  /** In key order: the stored JSON text of each (decoded when read, for the cache's), and its UTF-8 bytes when the cache had them. */
  items: ListResult["items"];
  continueToken?: string;
}

/** resourceVersion and resourceVersionMatch of a list, as Kubernetes reads them. */
type ListConsistency = { kind: "latest" } | { kind: "any" } | { kind: "notOlderThan"; rv: number } | { kind: "exact"; rv: number };

function consistencyOf(query: URLSearchParams): ListConsistency {
  checkListOptions(query, false);
  const rvText = query.get("resourceVersion") ?? "";
  const match = query.get("resourceVersionMatch") ?? "";
  if (rvText === "") return { kind: "latest" };
  const rv = Number(rvText);
  if (!Number.isSafeInteger(rv) || rv < 0) throw statusErrors.badRequest(`invalid resource version: ${rvText}`);
  if (match === "Exact") return { kind: "exact", rv };
  return rv === 0 ? { kind: "any" } : { kind: "notOlderThan", rv };
}

/** Waits until this process's cache holds every change up to `rv` (504 if it cannot get there). */
export async function cacheReaches(ctx: ApiContext, rv: number): Promise<void> {
  try {
    await ctx.feed.reach(rv);
  } catch (err) {
    if (err instanceof FeedBehindError) throw statusErrors.resourceVersionTooLarge(err.message);
    throw err;
  }
}

/**
 * Makes the cache at least as new as the request needs: by default every write committed before the
 * request (on any replica), as Kubernetes' consistent reads from its watch cache; `resourceVersion=0`
 * takes the cache as it is.
 */
async function syncCache(ctx: ApiContext, query: URLSearchParams): Promise<void> {
  const consistency = consistencyOf(query);
  if (consistency.kind === "latest") await cacheReaches(ctx, await ctx.changeLog.latest());
  else if (consistency.kind === "notOlderThan") await cacheReaches(ctx, consistency.rv);
}

/**
 * The objects a list request selects (label, field, namespace, limit + continue): from the in-memory
 * cache, or from the database for a snapshot the cache no longer has (an exact resourceVersion, a continue
 * page of a resource changed since its first page).
 */
export async function selectObjects(ctx: ApiContext, req: ResourceRequest): Promise<ListedObjects> {
  const { rt, query } = req;
  checkListOptions(query, false);
  const selection = selectionFrom(query, req.namespace);
  const limitText = query.get("limit");
  const limit = limitText ? Number(limitText) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw statusErrors.badRequest(`invalid limit: ${limitText}`);
  const continueText = query.get("continue");
  const token = continueText ? decodeContinue(continueText) : undefined;
  const consistency = token ? undefined : consistencyOf(query);
  const snapshot = token?.rv ?? (consistency?.kind === "exact" ? consistency.rv : undefined);
  if (snapshot !== undefined) {
    const oldest = await ctx.changeLog.oldest();
    if (oldest !== null && snapshot < oldest - 1) throw statusErrors.expired(token ? TOO_OLD_CONTINUE : TOO_OLD_RESOURCE_VERSION);
    await cacheReaches(ctx, snapshot);
  } else {
    await syncCache(ctx, query);
  }
  if (selection.empty) return { resourceVersion: snapshot ?? ctx.cache.position, items: [] };
  const listQuery = {
    group: rt.group,
    resource: rt.plural,
    ...selection.query,
    ...(token ? { after: { namespace: token.namespace, name: token.name } } : {}),
    ...(limit ? { limit } : {}),
  };
  let result: ListResult | undefined = ctx.cache.list(listQuery, selection.otherFields, snapshot);
  if (!result) {
    result = await ctx.store.list(listQuery, snapshot);
    if (selection.otherFields.length > 0) {
      result.items = result.items.filter((i) => matchesFields(selection.otherFields, JSON.parse(i.text) as KubeObject));
    }
  }
  const resourceVersion = snapshot ?? result.resourceVersion;
  const last = result.items[result.items.length - 1];
  const continueToken = result.more && last ? encodeContinue({ rv: resourceVersion, namespace: last.namespace, name: last.name }) : undefined;
  return { resourceVersion, items: result.items, ...(continueToken ? { continueToken } : {}) };
}

const COMMA = Buffer.from(",");
const TAIL = Buffer.from("]}");
/**
 * A large list body leaves in pieces of about this size, each assembled as the socket takes the one before: never
 * one buffer (nor one TLS output buffer) the size of the whole list, and no fresh memory per list beyond a piece
 * (docs/architecture.md §2.1).
 */
const PIECE_BYTES = 64 * 1024;
/** A body under this size leaves as one buffer (one write; measured a little cheaper than pieces for a 1.9 MB list). */
const ONE_BUFFER_BYTES = 4 * 1024 * 1024;

/** The list body: `head`, the items' bytes joined by commas, `]}`, in pieces of about PIECE_BYTES. */
function* listPieces(head: Buffer, items: readonly Buffer[]): Generator<Buffer> {
  let parts: Buffer[] = [head];
  let size = head.length;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) {
      parts.push(COMMA);
      size += 1;
    }
    const bytes = items[i]!;
    parts.push(bytes);
    size += bytes.length;
    if (size >= PIECE_BYTES) {
      yield Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  parts.push(TAIL);
  yield Buffer.concat(parts, size + TAIL.length);
}

export async function listObjects(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const listed = await selectObjects(ctx, req);
  const metadata = JSON.stringify({
    resourceVersion: String(listed.resourceVersion),
    ...(listed.continueToken ? { continue: listed.continueToken } : {}),
  });
  const head = `{"kind":${JSON.stringify(req.rt.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(req.rt))},"metadata":${metadata},"items":[`;
  if (!listed.items.every((i) => i.bytes !== undefined)) return { code: 200, json: `${head}${listed.items.map((i) => i.text).join(",")}]}` };
  // The stored bytes as they are: no join, no re-encoding of a large string.
  const bytes = listed.items.map((i) => i.bytes!);
  const pieces = listPieces(Buffer.from(head), bytes);
  if (bytes.reduce((n, b) => n + b.length, 0) < ONE_BUFFER_BYTES) return { code: 200, raw: Buffer.concat([...pieces]) };
  return { code: 200, stream: Readable.from(pieces, { objectMode: false, highWaterMark: PIECE_BYTES }) };
}
