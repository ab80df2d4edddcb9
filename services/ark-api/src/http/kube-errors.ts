import { ApiException } from "@kubernetes/client-node";
import { ArkError } from "@ark/service-kit";
import { apiErrorMessage, apiStatusCode } from "@ark/kube";

interface StatusCauseBody {
  details?: { causes?: Array<{ field?: string; message?: string }> };
}

/** What a failed Kubernetes call means to an ark-api caller: same status class, the API's message, field causes kept. */
function kubeErrorToArkError(err: unknown, what: string): ArkError | undefined {
  const status = apiStatusCode(err);
  if (!(err instanceof ApiException) || status === undefined) return undefined;
  const message = apiErrorMessage(err);
  switch (status) {
    case 404:
      return new ArkError("NOT_FOUND", `${what} not found`, { cause: err });
    case 409:
      return new ArkError("CONFLICT", message, { cause: err });
    case 422:
      return new ArkError("UNPROCESSABLE", message, { cause: err, details: causesOf(err) });
    case 400:
      return new ArkError("INVALID_INPUT", message, { cause: err });
    case 401:
    case 403:
      // ark-api's own identity was refused: the caller can do nothing about it.
      return new ArkError("BAD_GATEWAY", `the Kubernetes API refused ark-api (${status}): ${message}`, { cause: err });
    default:
      return new ArkError(status === 503 || status === 504 ? "UNAVAILABLE" : "BAD_GATEWAY", `Kubernetes API error: ${message}`, { cause: err });
  }
}

/** Runs a Kubernetes call, turning its failure into an ArkError; connection failures become 503. */
export async function kubeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ArkError) throw err;
    const mapped = kubeErrorToArkError(err, what);
    if (mapped) throw mapped;
    throw new ArkError("UNAVAILABLE", `Kubernetes API unreachable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function causesOf(err: ApiException<unknown>): Array<{ field: string; message: string }> {
  const body = (typeof err.body === "string" ? safeParse(err.body) : err.body) as StatusCauseBody | undefined;
  return (body?.details?.causes ?? []).map((c) => ({ field: c.field ?? "", message: c.message ?? "is invalid" }));
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
