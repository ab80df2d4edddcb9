import { z } from "zod";

export const SecretKeySelector = z
  .object({
    name: z.string().default("").describe("Name of the Secret in the resource's namespace."),
    key: z.string().describe("Key within the Secret."),
    optional: z.boolean().optional().describe("Accepted for compatibility; ignored."),
  })
  .describe("Selects a key of a Secret.");
export type SecretKeySelector = z.output<typeof SecretKeySelector>;

export const ConfigMapKeySelector = z
  .object({
    name: z.string().default("").describe("Name of the ConfigMap in the resource's namespace."),
    key: z.string().describe("Key within the ConfigMap's data."),
    optional: z.boolean().optional().describe("Accepted for compatibility; ignored."),
  })
  .describe("Selects a key of a ConfigMap.");
export type ConfigMapKeySelector = z.output<typeof ConfigMapKeySelector>;

export const ServiceReference = z
  .object({
    name: z.string().describe("Name of the Service."),
    namespace: z.string().optional().describe("Namespace of the Service; defaults to the resource's namespace."),
    port: z.string().optional().describe("Port name (not number); defaults to the Service's first port."),
    path: z.string().optional().describe("Path appended to the Service URL."),
  })
  .describe("Resolves to http://<name>.<namespace>.svc.cluster.local:<port><path>.");
export type ServiceReference = z.output<typeof ServiceReference>;

export const QueryParameterReference = z
  .object({ name: z.string().min(1).describe("Name of a parameter of the Query (spec.parameters).") })
  .describe("Read from the running Query's parameters; absent outside a query (a probe, a discovery).");
export type QueryParameterReference = z.output<typeof QueryParameterReference>;

export const ValueFromSource = z
  .object({
    secretKeyRef: SecretKeySelector.optional(),
    configMapKeyRef: ConfigMapKeySelector.optional(),
    serviceRef: ServiceReference.optional(),
    queryParameterRef: QueryParameterReference.optional().describe("An Agent parameter only: the running Query's parameter of this name."),
  })
  .describe("Exactly one source to read the value from.");
export type ValueFromSource = z.output<typeof ValueFromSource>;

export const ValueSource = z
  .object({
    value: z.string().optional().describe("Literal value."),
    valueFrom: ValueFromSource.optional(),
  })
  .describe("A value given literally or read from a Secret, ConfigMap or Service; exactly one of value and valueFrom.");
export type ValueSource = z.output<typeof ValueSource>;
