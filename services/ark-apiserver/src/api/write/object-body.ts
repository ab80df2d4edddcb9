import { decodeK8sProtobuf, isProtobuf, ProtobufDecodeError } from "../../protobuf/index.js";
import type { ResourceRequest } from "../context.js";
import { statusErrors } from "../status.js";
import { contentTypeOf, decodeJsonBody } from "./decode-body.js";

/** A create or update body: JSON, YAML, or (kubectl create secret|configmap|namespace) Kubernetes protobuf. */
export function decodeObjectBody(req: ResourceRequest): unknown {
  const contentType = contentTypeOf(req);
  if (contentType === "application/json" || contentType === "") return decodeJsonBody(req);
  if (contentType === "application/yaml") return decodeJsonBody(req, { yaml: true });
  if (isProtobuf(contentType)) {
    try {
      return decodeK8sProtobuf(req.body ?? new Uint8Array());
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw statusErrors.unsupportedMediaType(`${contentType} (${err.message})`);
      throw err;
    }
  }
  throw statusErrors.unsupportedMediaType(contentType);
}
