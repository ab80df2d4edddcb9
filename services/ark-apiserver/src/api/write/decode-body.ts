import { jsonDeeperThan, MAX_JSON_DEPTH } from "@ark/service-kit";
import { parse as parseYaml } from "yaml";
import { isPlainObject, type KubeObject } from "../../kube-object.js";
import { statusErrors } from "../status.js";
import type { ResourceRequest } from "../context.js";

export function contentTypeOf(req: ResourceRequest): string {
  return (req.headers["content-type"] ?? "application/json").split(";")[0]!.trim().toLowerCase();
}

/** The request body as JSON (YAML too when `yaml` is set, for apply patches). */
export function decodeJsonBody(req: ResourceRequest, { yaml = false } = {}): unknown {
  const text = req.body?.toString("utf8") ?? "";
  if (text.trim() === "") throw statusErrors.badRequest("the body of the request was empty");
  let body: unknown;
  try {
    body = yaml ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    throw statusErrors.badRequest(`the body of the request could not be decoded: ${(err as Error).message}`);
  }
  // Admission, patches and JSON.stringify recurse: a body thousands of levels deep overflowed the stack into a 500.
  const tooDeep = jsonDeeperThan(body, MAX_JSON_DEPTH, "body");
  if (tooDeep) throw statusErrors.badRequest(`the body of the request nests deeper than ${MAX_JSON_DEPTH} levels at ${tooDeep}`);
  return body;
}

/** A body that must be a Kubernetes object (create, update). */
export function asKubeObject(body: unknown): KubeObject {
  if (!isPlainObject(body)) throw statusErrors.badRequest("the body of the request must be a JSON object");
  const metadata = body.metadata ?? {};
  if (!isPlainObject(metadata)) throw statusErrors.badRequest("metadata must be an object");
  return { ...body, metadata } as KubeObject;
}
