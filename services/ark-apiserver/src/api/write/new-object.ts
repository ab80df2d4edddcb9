import type { KubeObject } from "../../kube-object.js";
import type { ResourceType } from "../../resource-type.js";
import { apiVersionOf } from "../context.js";
import { statusErrors } from "../status.js";
import { generateNameSuffix, stampNewObject } from "./object-meta.js";
import { foldStringData } from "./secret-string-data.js";

/** Checks a create body against the URL and stamps server metadata (name from generateName too). */
export function newObject(rt: ResourceType, body: KubeObject, urlNamespace: string | undefined): KubeObject {
  const expectedApiVersion = apiVersionOf(rt);
  if (body.apiVersion !== undefined && body.apiVersion !== expectedApiVersion) {
    throw statusErrors.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== rt.kind) {
    throw statusErrors.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${rt.kind})`);
  }
  let namespace: string | undefined;
  if (rt.namespaced) {
    if (urlNamespace === undefined) throw statusErrors.methodNotAllowed(`${rt.plural} must be created in a namespace`);
    const given = body.metadata.namespace;
    if (given !== undefined && given !== "" && given !== urlNamespace) {
      throw statusErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    namespace = urlNamespace;
  }
  let obj = rt.kind === "Secret" ? foldStringData(body) : body;
  const { name, generateName } = obj.metadata;
  if (!name && typeof generateName === "string" && generateName !== "") {
    obj = { ...obj, metadata: { ...obj.metadata, name: `${generateName}${generateNameSuffix()}` } };
  }
  return stampNewObject(rt, obj, namespace);
}
