import { STATUS_CODES } from "node:http";
import { Watch, type KubeConfig } from "@kubernetes/client-node";
import type { InProcessWatchApi } from "@ark/types";
import { inProcessConnection } from "./in-process.js";

type WatchFn = Watch["watch"];

const NEWLINE = 0x0a;

/**
 * The watch for `kc`: in process when `kc` is connected to ark-apiserver's in-process API (docs/architecture.md §2.2),
 * else client-node's Watch over `kc`'s server. Informers and every other watch of ARK's services take it.
 */
export function watchFor(kc: KubeConfig): Pick<Watch, "watch"> {
  const connection = inProcessConnection(kc);
  const watch = connection?.api.watch;
  return watch ? new InProcessWatch(watch, connection.authorization) : new Watch(kc);
}

/**
 * client-node's Watch contract over the in-process API: the same query (`watch=true` and the caller's parameters),
 * each line parsed and handed to `callback` (a line that does not parse, or a callback that throws, is skipped, as
 * client-node does), `done` once: with null when the server ends the watch, with an Error carrying `statusCode` when
 * it refuses it, with an AbortError after the caller aborts.
 */
class InProcessWatch {
  constructor(
    private readonly api: InProcessWatchApi,
    private readonly authorization: string | undefined,
  ) {}

  readonly watch: WatchFn = async (path, queryParams, callback, done) => {
    const url = new URL(path, "http://in-process");
    url.searchParams.set("watch", "true");
    for (const [key, value] of Object.entries(queryParams ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const controller = new AbortController();
    let finished = false;
    // Later than the call that ends it (the server's write, the caller's abort), as a socket's end would be.
    const finish = (err: unknown) => {
      if (finished) return;
      finished = true;
      queueMicrotask(() => done(err));
    };
    const sink = {
      // Whole lines only (InProcessWatchSink): nothing is carried from one chunk to the next.
      data(chunk: Uint8Array) {
        if (finished) return;
        const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        let start = 0;
        for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
          const line = bytes.toString("utf8", start, end);
          start = end + 1;
          try {
            const data = JSON.parse(line) as { type: string; object: unknown };
            callback(data.type, data.object, data);
          } catch {
            // As client-node's Watch: a line it cannot use is skipped.
          }
        }
      },
      end: () => finish(null),
    };
    try {
      const headers: Record<string, string> = { Accept: "application/json", ...(this.authorization ? { Authorization: this.authorization } : {}) };
      const answer = await this.api({ method: "GET", path: `${url.pathname}${url.search}`, headers }, sink);
      if ("status" in answer) {
        const error = Object.assign(new Error(STATUS_CODES[answer.status] ?? "Internal Server Error"), { statusCode: answer.status, body: answer.text });
        finish(error);
        return controller;
      }
      const abort = () => {
        answer.abort();
        finish(Object.assign(new Error("The operation was aborted."), { name: "AbortError", type: "aborted" }));
      };
      if (controller.signal.aborted) abort();
      else controller.signal.addEventListener("abort", abort, { once: true });
    } catch (err) {
      finish(err);
    }
    return controller;
  };
}
