import { CustomResourceDefinition as CrdModel } from "kubernetes-models/apiextensions.k8s.io/v1";
import type { CustomResourceDefinition } from "./crd.js";
import { crdSchemaViolations } from "./structural-rules.js";

type CrdModelInput = ConstructorParameters<typeof CrdModel>[0];

/**
 * Dev-time only (kubernetes-models and ajv are devDependencies): what the API server would reject in a CRD,
 * by the apiextensions.k8s.io/v1 schema and by the structural-schema rules. Empty when it is fine.
 */
export function crdProblems(crd: CustomResourceDefinition): string[] {
  const problems: string[] = [];
  try {
    new CrdModel(structuredClone(crd) as CrdModelInput).validate();
  } catch (error) {
    problems.push(`apiextensions.k8s.io/v1: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const version of crd.spec.versions) {
    for (const problem of crdSchemaViolations(version.schema.openAPIV3Schema)) problems.push(`${version.name} ${problem}`);
  }
  return problems.map((p) => `${crd.metadata.name}: ${p}`);
}
