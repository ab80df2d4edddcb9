// Formats the Kubernetes API server validates (apiextensions-apiserver supportedFormats).
const kubernetesStringFormats = new Set([
  "bsonobjectid",
  "uri",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "cidr",
  "mac",
  "uuid",
  "uuid3",
  "uuid4",
  "uuid5",
  "isbn",
  "isbn10",
  "isbn13",
  "creditcard",
  "ssn",
  "hexcolor",
  "rgbcolor",
  "byte",
  "password",
  "date",
  "datetime",
  "date-time",
]);
const kubernetesNumberFormats = new Set(["int32", "int64", "float", "double"]);

// zod names a few formats differently; "duration" is absent on purpose: zod's is ISO 8601, Kubernetes' is Go's.
const zodToKubernetesFormat: Record<string, string> = { base64: "byte", cidrv4: "cidr", cidrv6: "cidr" };

/** The Kubernetes format for a JSON Schema format on a node of `type`, or undefined to drop it. */
export function kubernetesFormat(type: string | undefined, format: string): string | undefined {
  if (type === "integer" || type === "number") return kubernetesNumberFormats.has(format) ? format : undefined;
  const mapped = zodToKubernetesFormat[format] ?? format;
  return type === "string" && kubernetesStringFormats.has(mapped) ? mapped : undefined;
}

export function isKubernetesFormat(type: string | undefined, format: string): boolean {
  return kubernetesFormat(type, format) === format;
}
