/** A request for a resource: `/api/v1/...` or `/apis/<group>/<version>/...`. */
export interface ResourcePath {
  group: string;
  version: string;
  /** The plural (or a short/singular name) as written in the URL. */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

/** Parses a Kubernetes resource URL path (no query); undefined for discovery and unknown paths. */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segments = pathname
    .split("/")
    .filter((s) => s !== "")
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 3) {
    group = "";
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 4) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else return undefined;

  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 2) {
    // `/namespaces/x` and `/namespaces/x/status` address the Namespace itself.
    if (rest.length === 2 || (rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!))) {
      return { group, version, resource: "namespaces", name: rest[1]!, ...(rest[2] ? { subresource: rest[2] } : {}) };
    }
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  return {
    group,
    version,
    resource: rest[0]!,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(rest[1] !== undefined ? { name: rest[1] } : {}),
    ...(rest[2] !== undefined ? { subresource: rest[2] } : {}),
  };
}
