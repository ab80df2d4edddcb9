import { validateArkResource } from "@ark/types";
import { serviceOf, type ServiceName } from "./ark-charts.js";
import { manifestKey, type Manifest } from "./chart/manifests.js";
import { SERVICE_CONFIGS } from "./service-configs.js";
import { validateBuiltin } from "./validate/builtin-kinds.js";
import { crdValidators } from "./validate/crd-schemas.js";
import { unknownFields } from "./validate/unknown-fields.js";

let crds: ReturnType<typeof crdValidators> | undefined;

/** Schema problems of rendered objects: built-in kinds by kubernetes-models (plus unknown fields), ARK kinds by their CRD and @ark/types. */
export function schemaProblems(manifests: Manifest[]): string[] {
  crds ??= crdValidators();
  const problems: string[] = [];
  for (const m of manifests) {
    const key = `${manifestKey(m)} (${m.source})`;
    if (m.apiVersion.startsWith("ark.mckinsey.com/")) {
      const validate = crds.get(`${m.apiVersion}/${m.kind}`);
      if (!validate) problems.push(`${key}: no CRD`);
      else if (!validate(m)) problems.push(`${key}: ${JSON.stringify(validate.errors)}`);
      const ark = validateArkResource(m, { fieldValidation: "Strict", operation: "create" });
      if (!ark.ok) problems.push(`${key}: ${JSON.stringify(ark.errors)}`);
      continue;
    }
    try {
      if (validateBuiltin(m) === undefined) problems.push(`${key}: no schema for this kind`);
    } catch (err) {
      problems.push(`${key}: ${(err as Error).message}`);
    }
    const unknown = unknownFields(m);
    if (unknown?.length) problems.push(`${key}: unknown fields ${unknown.join(", ")}`);
  }
  return problems;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

// Placeholders for env vars the cluster fills in (Secrets, the downward API), valid for each service's schema.
const FROM_CLUSTER: Record<string, string> = {
  DATABASE_URL: "postgres://ark@db:5432/ark",
  POD_NAME: "pod-0",
  ARK_API_ADMIN_KEY: "0123456789abcdef0123",
  MEMORY_AUTH_SECRET: "0123456789abcdef0123456789abcdef",
  EVALUATOR_AUTH_SECRET: "0123456789abcdef0123456789abcdef",
  ENGINE_TOKEN: "0123456789abcdef0123",
  OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic cGs6c2s=",
};

/** A Deployment's container env as its service sees it; problems: names the service does not read, values its config rejects. */
export function envProblems(deployment: Manifest): { env: Record<string, string | undefined>; problems: string[] } {
  const service = serviceOf(deployment) as ServiceName;
  const schema = SERVICE_CONFIGS[service];
  const vars = (deployment as unknown as { spec: { template: { spec: { containers: { env: EnvVar[] }[] } } } }).spec.template.spec.containers[0]!.env;
  const problems: string[] = [];
  const names = vars.map((e) => e.name);
  if (new Set(names).size !== names.length) problems.push(`duplicate env names in ${names.join(",")}`);
  for (const n of names) if (!(n in schema.shape)) problems.push(`${service} does not read ${n}`);
  const env = Object.fromEntries(vars.map((e) => [e.name, e.value ?? FROM_CLUSTER[e.name]]));
  const parsed = schema.safeParse(env);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message} (${JSON.stringify(env[String(i.path[0])])})`));
  return { env, problems };
}
