/**
 * The Kubernetes API called in the apiserver's own process (docs/architecture.md §2.2): a request
 * as it would go over HTTP (method, path with query, headers, body bytes) and its answer (status, body text,
 * headers), without a socket. ark-apiserver serves it (`RunningApiServer.inProcess`); `@ark/kube`'s rawRequest uses
 * it for a KubeConfig connected to it (`unixSocketKubeConfig({ inProcess })`). Authentication, RBAC, admission,
 * storage and metrics are the same as over HTTP; watches still go over the socket.
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

export type InProcessApi = (request: InProcessApiRequest) => Promise<InProcessApiResponse>;
