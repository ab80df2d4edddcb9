/**
 * The Kubernetes API called in the apiserver's own process (docs/architecture.md §2.2): a request
 * as it would go over HTTP (method, path with query, headers, body bytes) and its answer (status, body text,
 * headers), without a socket. ark-apiserver serves it (`RunningApiServer.inProcess`); `@ark/kube`'s rawRequest uses
 * it for a KubeConfig connected to it (`unixSocketKubeConfig({ inProcess })`), and its informers and watches use
 * `watch`. Authentication, RBAC, admission, storage and metrics are the same as over HTTP.
 */
export interface InProcessApiRequest {
  method: string;
  /** Path and query, e.g. `/apis/ark.mckinsey.com/v1alpha1/namespaces/default/queries?fieldManager=x`. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface InProcessApiResponse {
  status: number;
  /** The body as the HTTP answer would carry it (JSON text). */
  text: string;
  headers: Record<string, string>;
}

/** Where an in-process watch delivers its events: the bytes its HTTP body would carry. */
export interface InProcessWatchSink {
  /** Whole lines (`{"type":…,"object":…}\n`), as many as the server wrote in one turn of the event loop. */
  data(chunk: Uint8Array): void;
  /** The server ended the watch (its timeout, a client too slow, the apiserver stopping); not called after `abort`. */
  end(): void;
}

/** A watch the server accepted: `abort` ends it from the caller's side. */
export interface InProcessWatch {
  abort(): void;
}

/**
 * A watch (`GET` of a collection with `watch=true`) in process: the same steps as over HTTP (token, RBAC, the client's
 * watch quota, list options, the initial events or the replay from a resourceVersion, bookmarks, the timeout). Answers
 * the refusal a HTTP watch would get as a response (401, 403, 429, …), or the running watch.
 */
export type InProcessWatchApi = (request: InProcessApiRequest, sink: InProcessWatchSink) => Promise<InProcessApiResponse | InProcessWatch>;

export type InProcessApi = ((request: InProcessApiRequest) => Promise<InProcessApiResponse>) & {
  /** Watches without the socket (docs/architecture.md §2.2); absent, watches go over the socket. */
  watch?: InProcessWatchApi;
};
