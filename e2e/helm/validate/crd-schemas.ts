import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { CRD_DIR } from "../crds/crd-chart-files.js";

interface Crd {
  spec: { group: string; names: { kind: string; plural: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
}

/** Kubernetes' structural-schema extensions, which plain JSON Schema does not know. */
const KUBERNETES_KEYWORDS = [
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-int-or-string",
  "x-kubernetes-validations",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "x-kubernetes-embedded-resource",
];

/** OpenAPI formats the API server accepts without checking them here. */
const OPENAPI_FORMATS = ["int32", "int64", "float", "double", "byte", "binary", "date", "date-time", "duration", "uri", "email", "hostname", "password"];

/** `<apiVersion>/<kind>` → a validator of the CRD's openAPIV3Schema, for every CRD in crds/. */
export function crdValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const keyword of KUBERNETES_KEYWORDS) ajv.addKeyword(keyword);
  for (const format of OPENAPI_FORMATS) ajv.addFormat(format, true);
  const out = new Map<string, ValidateFunction>();
  for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith(".yaml"))) {
    const crd = parse(readFileSync(join(CRD_DIR, file), "utf8").replace(/^#.*\n/, "")) as Crd;
    for (const v of crd.spec.versions) out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, ajv.compile(v.schema.openAPIV3Schema));
  }
  return out;
}
