import { parseResourcePath } from "../api/resource-path.js";
import type { RequestAttributes } from "./policy-rule.js";

const VERB_OF_METHOD: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete", GET: "get", HEAD: "get" };

/**
 * What an HTTP request asks to do, as Kubernetes' RequestInfoFactory reads it: resource requests under /api and
 * /apis (verb from the method, list/watch/deletecollection on collections, a metadata.name field selector naming
 * the object), everything else a non-resource request with the lowercased method as verb.
 */
export function requestAttributes(method: string, url: URL): RequestAttributes {
  const path = parseResourcePath(url.pathname);
  const verb = VERB_OF_METHOD[method];
  if (!path || verb === undefined) return { resourceRequest: false, verb: method.toLowerCase(), path: url.pathname };
  let name = path.name ?? "";
  let resolvedVerb = verb;
  if (name === "" && verb === "get") {
    const watch = url.searchParams.get("watch");
    resolvedVerb = watch === "true" || watch === "1" ? "watch" : "list";
    name = nameFromFieldSelector(url.searchParams.get("fieldSelector")) ?? "";
  } else if (name === "" && verb === "delete") {
    resolvedVerb = "deletecollection";
  } else if (name !== "" && verb === "get") {
    const watch = url.searchParams.get("watch");
    if (watch === "true" || watch === "1") resolvedVerb = "watch";
  }
  // `/api/v1/namespaces/x` addresses namespace x, in namespace x (so a RoleBinding there may grant reading it).
  const namespace = path.namespace ?? (path.group === "" && path.resource === "namespaces" ? name : "");
  return {
    resourceRequest: true,
    verb: resolvedVerb,
    apiGroup: path.group,
    apiVersion: path.version,
    resource: path.resource,
    subresource: path.subresource ?? "",
    namespace,
    name,
  };
}

function nameFromFieldSelector(selector: string | null): string | undefined {
  if (!selector) return undefined;
  const names = selector
    .split(",")
    .map((term) => /^metadata\.name==?(.+)$/.exec(term.trim())?.[1])
    .filter((n): n is string => n !== undefined);
  return names.length === 1 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(names[0]!) ? names[0] : undefined;
}
