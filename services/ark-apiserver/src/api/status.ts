import type { ResourceType } from "../resource-type.js";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** meta.k8s.io/v1 Status, the body of every Kubernetes error. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code?: number;
}

/** An API failure answered as a Kubernetes Status. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
  get code(): number {
    return this.status.code ?? 500;
  }
}

/** A `Status` failure as Kubernetes writes it (kind, apiVersion, reason, details, code). */
export function failure(code: number, reason: string, message: string, details?: Status["details"]): StatusError {
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

/** `agents.ark.mckinsey.com`, or `secrets` for the core group. */
export function qualifiedResource(rt: Pick<ResourceType, "group" | "plural">): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

function resourceDetails(rt: Pick<ResourceType, "group" | "plural">, name: string): NonNullable<Status["details"]> {
  return { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural };
}

export const statusErrors = {
  notFound: (rt: Pick<ResourceType, "group" | "plural">, name: string) => failure(404, "NotFound", `${qualifiedResource(rt)} "${name}" not found`, resourceDetails(rt, name)),
  alreadyExists: (rt: Pick<ResourceType, "group" | "plural">, name: string) => failure(409, "AlreadyExists", `${qualifiedResource(rt)} "${name}" already exists`, resourceDetails(rt, name)),
  conflict: (rt: Pick<ResourceType, "group" | "plural">, name: string, why = "the object has been modified; please apply your changes to the latest version and try again") =>
    failure(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": ${why}`, resourceDetails(rt, name)),
  /** Server-side apply took fields other managers own (kubectl then suggests --force-conflicts). */
  applyConflict: (message: string, causes: StatusCause[]) => failure(409, "Conflict", message, { causes }),
  invalid: (rt: Pick<ResourceType, "group" | "kind">, name: string, messages: string[], causes: StatusCause[]) =>
    failure(422, "Invalid", `${rt.group ? `${rt.kind}.${rt.group}` : rt.kind} "${name}" is invalid: ${messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`}`, {
      name,
      ...(rt.group ? { group: rt.group } : {}),
      kind: rt.kind,
      causes,
    }),
  forbidden: (rt: Pick<ResourceType, "group" | "plural">, name: string, why: string) => failure(403, "Forbidden", `${qualifiedResource(rt)} "${name}" is forbidden: ${why}`, resourceDetails(rt, name)),
  badRequest: (message: string) => failure(400, "BadRequest", message),
  unprocessable: (message: string) => failure(422, "Invalid", message),
  methodNotAllowed: (message: string) => failure(405, "MethodNotAllowed", message),
  notAcceptable: (message: string) => failure(406, "NotAcceptable", message),
  unsupportedMediaType: (contentType: string) =>
    failure(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`,
    ),
  expired: (message: string) => failure(410, "Expired", message),
  resourceVersionTooLarge: (message: string) => failure(504, "Timeout", message, { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }] }),
  requestEntityTooLarge: (message: string) => failure(413, "RequestEntityTooLarge", message),
  /** 429, as Kubernetes' priority and fairness answers (the reply carries Retry-After from retryAfterSeconds). */
  tooManyRequests: (message: string, retryAfterSeconds: number) => failure(429, "TooManyRequests", message, { retryAfterSeconds }),
  /** 503 with Retry-After, as kube-apiserver answers while its storage is away. */
  unavailable: (message: string, retryAfterSeconds: number) => failure(503, "ServiceUnavailable", message, { retryAfterSeconds }),
  unauthorized: () => failure(401, "Unauthorized", "Unauthorized"),
  pathNotFound: () => failure(404, "NotFound", "the server could not find the requested resource"),
  internal: (message: string) => failure(500, "InternalError", `Internal error occurred: ${message}`),
};

export function successStatus(rt: Pick<ResourceType, "group" | "plural">, name: string, uid?: string): Status {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { ...resourceDetails(rt, name), ...(uid ? { uid } : {}) },
  };
}
