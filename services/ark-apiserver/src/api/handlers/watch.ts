import type { ServerResponse } from "node:http";
import type { KubeObject } from "../../kube-object.js";
import { parseFieldSelector } from "../../selectors/field-selector.js";
import { TABLE_CONTENT_TYPE, toWatchEventTable, type IncludeObject } from "../../table/index.js";
import type { WatchEventType } from "../../watch/watch-filter.js";
import { Watcher, type WatchSink } from "../../watch/watcher.js";
import { apiVersionOf, type ApiContext, type ResourceRequest } from "../context.js";
import { selectionFrom } from "../list-options.js";
import { statusErrors, type Status } from "../status.js";

export interface WatchOptions {
  /** Each event object as a one-row meta.k8s.io Table (`kubectl get -w`). */
  table?: { includeObject: IncludeObject };
}

/**
 * Validates a watch request and returns the function that streams it (after the caller hands over
 * the raw response): the initial state or a replay from the change log, then live events.
 */
export function prepareWatch(ctx: ApiContext, req: ResourceRequest, options: WatchOptions = {}): (res: ServerResponse) => Promise<void> {
  const { rt, query } = req;
  const selection = selectionFrom(query, req.namespace);
  const fields = parseFieldSelector(query.get("fieldSelector") ?? undefined);
  const rvText = query.get("resourceVersion") ?? "";
  const fromRv = rvText === "" || rvText === "0" || query.get("sendInitialEvents") === "true" ? undefined : Number(rvText);
  if (fromRv !== undefined && !Number.isSafeInteger(fromRv)) throw statusErrors.badRequest(`invalid resource version: ${rvText}`);
  const timeoutSeconds = Number(query.get("timeoutSeconds") ?? "0") || 0;
  const bookmarks = query.get("allowWatchBookmarks") === "true";
  const filter = {
    group: rt.group,
    resource: rt.plural,
    ...(selection.query.namespace !== undefined ? { namespace: selection.query.namespace } : {}),
    labels: selection.labels,
    fields,
  };

  const encodeObject = (text: string): string =>
    options.table ? JSON.stringify(toWatchEventTable(rt, JSON.parse(text) as KubeObject, { includeObject: options.table.includeObject })) : text;

  return async (res) => {
    // Events of one tick (a group commit delivers many) leave in one write: fewer syscalls and TLS records.
    let corked = false;
    const write = (line: string) => {
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(() => {
          corked = false;
          res.uncork();
        });
      }
      res.write(`${line}\n`);
    };
    const sink: WatchSink = {
      event: (type: WatchEventType, object: string) => write(`{"type":"${type}","object":${encodeObject(object)}}`),
      bookmark: (rv) => write(JSON.stringify({ type: "BOOKMARK", object: { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(rv) } } })),
      end: () => res.end(),
    };
    const watcher = new Watcher(filter, sink);
    const timers: NodeJS.Timeout[] = [];
    res.on("close", () => {
      for (const t of timers) clearTimeout(t);
      ctx.hub.remove(watcher);
      watcher.close();
    });
    res.writeHead(200, {
      "content-type": options.table ? TABLE_CONTENT_TYPE : "application/json",
      "cache-control": "no-cache, private",
      "transfer-encoding": "chunked",
    });
    res.flushHeaders();
    ctx.hub.add(watcher);
    if (timeoutSeconds > 0) timers.push(setTimeout(() => watcher.close(), timeoutSeconds * 1000));
    if (bookmarks) timers.push(setInterval(() => watcher.bookmark(ctx.feed.position), ctx.bookmarkIntervalMs));
    try {
      if (fromRv === undefined) {
        if (rvText !== "0") await ctx.feed.reach(await ctx.changeLog.latest());
        // Synchronous from here: the initial state and the live events after it meet at the cache's position.
        const listed = ctx.cache.list({ group: rt.group, resource: rt.plural, ...selection.query }, selection.otherFields)!;
        for (const item of listed.items) watcher.initial(item.text);
        watcher.goLive(listed.resourceVersion);
        return;
      }
      const replay = await ctx.changeLog.replay(rt.group, rt.plural, fromRv);
      if (replay.oldest !== null && fromRv < replay.oldest - 1) {
        write(JSON.stringify({ type: "ERROR", object: expired(`too old resource version: ${fromRv} (${replay.oldest - 1})`) }));
        watcher.close();
        return;
      }
      for (const change of replay.changes) watcher.replay(change);
      watcher.goLive(fromRv);
    } catch (err) {
      write(JSON.stringify({ type: "ERROR", object: statusErrors.internal((err as Error).message).status }));
      watcher.close();
    }
  };
}

function expired(message: string): Status {
  return statusErrors.expired(message).status;
}
