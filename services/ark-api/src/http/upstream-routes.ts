/**
 * Upstream's newer route style, `/v1/<segment>[/…]?namespace=<ns>`, onto ARK's `/v1/namespaces/<ns>/<segment>[/…]`
 * (docs/upstream-compat.md §11.2): the same routes answer, so authentication, the namespace check and validation are
 * the same. Without `namespace` the default namespace is used, as upstream uses its current context's.
 */
export function upstreamRouteRewriter(segments: ReadonlySet<string>, defaultNamespace: string): (url: string) => string {
  return (url) => {
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const match = /^\/v1\/([^/]+)(\/.*)?$/.exec(path);
    if (!match || !segments.has(match[1]!)) return url;
    const query = new URLSearchParams(queryAt < 0 ? "" : url.slice(queryAt + 1));
    const namespace = query.get("namespace") ?? defaultNamespace;
    query.delete("namespace");
    const rest = query.toString();
    return `/v1/namespaces/${encodeURIComponent(namespace)}/${match[1]}${match[2] ?? ""}${rest ? `?${rest}` : ""}`;
  };
}
