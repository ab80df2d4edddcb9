import { ArkError, canReadSecretsIn, type Principal } from "@ark/service-kit";
import { isRecord } from "../http/records.js";

interface SecretReference {
  /** Where the reference sits: `spec.parameters[0]`, `spec.apiKey.valueFrom`. */
  field: string;
  /** The name beside it (a parameter's or header's), when there is one. */
  label?: string;
  secret: string;
}

/** Every `secretKeyRef` in a spec, with its path and the name of the object holding it (a parameter's, a header's). */
function secretReferencesOf(value: unknown, path: string, parentName?: string): SecretReference[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => secretReferencesOf(item, `${path}[${index}]`));
  if (!isRecord(value)) return [];
  const ref = value.secretKeyRef;
  const here: SecretReference[] = isRecord(ref) ? [{ field: path, ...(parentName !== undefined ? { label: parentName } : {}), secret: String(ref.name ?? "") }] : [];
  const name = typeof value.name === "string" ? value.name : undefined;
  return [...here, ...Object.entries(value).flatMap(([key, child]) => (key === "secretKeyRef" ? [] : secretReferencesOf(child, `${path}.${key}`, name)))];
}

/**
 * What reads a Secret (a Query parameter rendered into the input, a header, an API key) hands its value to whoever
 * controls the resource, so writing one through ark-api needs the principal's Secret access in that namespace.
 */
export function requireSecretAccess(principal: Principal, namespace: string, spec: unknown, what: string): void {
  if (canReadSecretsIn(principal, namespace)) return;
  const [first] = secretReferencesOf(spec, "spec");
  if (!first) return;
  const field = first.label !== undefined ? `${first.field} (${JSON.stringify(first.label)})` : first.field;
  throw new ArkError("FORBIDDEN", `${what}: ${field} reads secret "${first.secret}", and ${principal.id} may not read Secrets in namespace ${namespace}`, {
    details: [{ field, message: `reads secret "${first.secret}": needs Secret access in namespace ${namespace}` }],
  });
}
