import type { OutgoingHttpHeaders } from "node:http";
import type { Writable } from "node:stream";
import { writePerTick } from "@ark/service-kit";
import type { KubeObject } from "../../kube-object.js";
import { parseFieldSelector } from "../../selectors/field-selector.js";
import { TABLE_CONTENT_TYPE, toWatchEventTable, type IncludeObject } from "../../table/index.js";
import type { WatchEventType } from "../../watch/watch-filter.js";
import { FeedBehindError } from "../../watch/change-feed.js";
import { Watcher, type WatchSink } from "../../watch/watcher.js";
import { apiVersionOf, type ApiContext, type ResourceRequest } from "../context.js";
import { checkListOptions, selectionFrom } from "../list-options.js";
import { statusErrors, type Status } from "../status.js";

/** The annotation of the bookmark that ends a watch-list's initial events (client-go's reflector waits for it). */
const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/** The last event line built: every watch a change goes to sends these same bytes (one encoding per change, not per watch). */
let lastEvent: { type: WatchEventType; object: string; line: Buffer } | undefined;

function eventLine(type: WatchEventType, object: string): Buffer {
  if (lastEvent?.type === type && lastEvent.object === object) return lastEvent.line;
  const line = Buffer.from(`{"type":"${type}","object":${object}}\n`);
  lastEvent = { type, object, line };
  return line;
}

/** Changes read from the log per query when a watch replays. */
const REPLAY_PAGE = 500;

/** What a watch streams into: an HTTP response, or an in-process caller's (http/in-process.ts). */
export type WatchResponse = Writable & {
  writeHead(statusCode: number, headers: OutgoingHttpHeaders): unknown;
  flushHeaders(): void;
  readonly socket: { readonly destroyed: boolean } | null;
};

export interface WatchOptions {
  /** Who the watch counts against (ApiContext.watchQuota). */
  client: string;
  /** Each event object as a one-row meta.k8s.io Table (`kubectl get -w`). */
  table?: { includeObject: IncludeObject };
}

/**
 * Validates a watch request, takes one of the client's watch slots (429 when it has none left) and returns
 * the function that streams it (after the caller hands over the raw response): the initial state or a
 * replay from the change log, then live events. Call the returned function: it frees the slot when the
 * response closes.
 */
export function prepareWatch(ctx: ApiContext, req: ResourceRequest, options: WatchOptions): (res: WatchResponse) => Promise<void> {
  const { rt, query } = req;
  const selection = selectionFrom(query, req.namespace);
  const fields = parseFieldSelector(query.get("fieldSelector") ?? undefined);
  checkListOptions(query, true);
  const rvText = query.get("resourceVersion") ?? "";
  // Watch-list (sendInitialEvents=true): the state at least as new as resourceVersion, then a bookmark marking its end.
  const watchList = query.get("sendInitialEvents") === "true";
  const rvNumber = rvText === "" ? undefined : Number(rvText);
  if (rvNumber !== undefined && !(Number.isSafeInteger(rvNumber) && rvNumber >= 0)) throw statusErrors.badRequest(`invalid resource version: ${rvText}`);
  const fromRv = rvNumber === 0 || watchList ? undefined : rvNumber;
  const timeoutSeconds = Number(query.get("timeoutSeconds") ?? "0") || 0;
  const bookmarks = query.get("allowWatchBookmarks") === "true";
  const filter = {
    group: rt.group,
    resource: rt.plural,
    ...(selection.query.namespace !== undefined ? { namespace: selection.query.namespace } : {}),
    labels: selection.labels,
    fields,
  };

  const encodeObject = (text: string): string => (options.table ? JSON.stringify(toWatchEventTable(rt, JSON.parse(text) as KubeObject, { includeObject: options.table.includeObject })) : text);

  const release = ctx.watchQuota.acquire(options.client);
  if (!release) {
    throw statusErrors.tooManyRequests(`too many watches open for this client (at most ${ctx.watchQuota.perClient}), please try again later`, 1);
  }

  return async (res) => {
    if (!res.socket || res.socket.destroyed) {
      release();
      return;
    }
    res.on("close", release);
    // Events of one tick (a group commit delivers many) leave in one write: fewer syscalls and TLS records.
    const writeOut = writePerTick(res);
    const write = (line: string | Buffer) => {
      if (res.destroyed) return;
      // A client that does not read is dropped rather than buffered for without bound; it resumes from its last resourceVersion.
      if (res.writableLength > ctx.watchBufferBytes) {
        res.destroy();
        return;
      }
      writeOut(typeof line === "string" ? `${line}\n` : line);
    };
    const sink: WatchSink = {
      event: (type: WatchEventType, object: string) => write(options.table ? `{"type":"${type}","object":${encodeObject(object)}}` : eventLine(type, object)),
      bookmark: (rv) => write(JSON.stringify({ type: "BOOKMARK", object: { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(rv) } } })),
      end: () => {
        if (!res.destroyed) res.end();
      },
      abort: () => res.destroy(),
    };
    const watcher = new Watcher(filter, sink, ctx.watchBufferBytes);
    const timers: NodeJS.Timeout[] = [];
    res.on("close", () => {
      for (const t of timers) clearTimeout(t);
      ctx.hub.remove(watcher);
      watcher.close();
    });
    // The initial state and a replay can be large: sent as fast as the client reads (live changes wait in the watcher).
    const sent = (): Promise<void> | undefined => {
      if (!res.writableNeedDrain || res.destroyed) return undefined;
      return new Promise((resolve) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      });
    };
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
        if (rvText !== "0") {
          try {
            await ctx.feed.reach(Math.max(rvNumber ?? 0, await ctx.changeLog.latest()));
          } catch (err) {
            if (!(err instanceof FeedBehindError)) throw err;
            write(JSON.stringify({ type: "ERROR", object: statusErrors.resourceVersionTooLarge(err.message).status }));
            watcher.close();
            return;
          }
        }
        // Synchronous from here: the initial state and the live events after it meet at the cache's position.
        const listed = ctx.cache.list({ group: rt.group, resource: rt.plural, ...selection.query }, selection.otherFields)!;
        for (const item of listed.items) {
          if (watcher.isClosed) return;
          watcher.initial(item.text);
          await sent();
        }
        if (watchList) {
          const end = { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(listed.resourceVersion), annotations: { [INITIAL_EVENTS_END]: "true" } } };
          write(JSON.stringify({ type: "BOOKMARK", object: end }));
        }
        watcher.goLive(listed.resourceVersion);
        return;
      }
      let after = fromRv;
      for (;;) {
        const replay = await ctx.changeLog.replay(rt.group, rt.plural, after, REPLAY_PAGE);
        // Beyond the retained window (pruned, or further back than WATCH_HISTORY_LIMIT even if the pruner has not run yet).
        const oldest = Math.max(replay.oldest ?? 0, ctx.feed.position - ctx.watchHistoryLimit + 1);
        if (after < oldest - 1) {
          write(JSON.stringify({ type: "ERROR", object: expired(`too old resource version: ${fromRv} (${oldest - 1})`) }));
          watcher.close();
          return;
        }
        for (const change of replay.changes) {
          if (watcher.isClosed) return;
          watcher.replay(change);
          await sent();
        }
        if (replay.changes.length < REPLAY_PAGE) break;
        after = replay.changes[replay.changes.length - 1]!.rv;
      }
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
