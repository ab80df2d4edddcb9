import type { Watch } from "@kubernetes/client-node";

export type WatchLike = Pick<Watch, "watch">;

const MIN_WATCH_SECONDS = 300;

/**
 * Wraps client-node's Watch for ListWatch: asks for bookmarks and a 5–10 minute server timeout (as client-go
 * does), and ends the watch on an ERROR event with that Status' code, so ListWatch relists at once on
 * 410 Gone instead of waiting for a server that may keep the stream open.
 */
export function reflectorWatch(inner: WatchLike): Watch {
  const watch: WatchLike["watch"] = async (path, queryParams, callback, done) => {
    let finished = false;
    const finish = (err: unknown) => {
      if (finished) return;
      finished = true;
      done(err);
    };
    let controller: AbortController | undefined;
    let abortWhenReady = false;
    const params = {
      ...queryParams,
      allowWatchBookmarks: true,
      timeoutSeconds: MIN_WATCH_SECONDS + Math.floor(Math.random() * MIN_WATCH_SECONDS),
    };
    controller = await inner.watch(
      path,
      params,
      (phase, obj: unknown, raw?: unknown) => {
        if (finished) return;
        if (phase === "ERROR") {
          finish(watchStatusError(obj));
          if (controller) controller.abort();
          else abortWhenReady = true;
          return;
        }
        callback(phase, obj, raw);
      },
      finish,
    );
    if (abortWhenReady) controller.abort();
    return controller;
  };
  return { watch } as Watch;
}

function watchStatusError(status: unknown): Error {
  const { code, message } = (status ?? {}) as { code?: unknown; message?: unknown };
  const error = new Error(`watch error: ${typeof message === "string" ? message : JSON.stringify(status)}`);
  return Object.assign(error, { statusCode: typeof code === "number" ? code : 500 });
}
