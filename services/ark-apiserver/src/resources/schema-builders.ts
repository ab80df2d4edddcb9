// Small constructors for the structural OpenAPI schemas of the built-in kinds.
export type Schema = Record<string, unknown>;

export const str = (description?: string): Schema => withDescription({ type: "string" }, description);
export const int = (description?: string): Schema => withDescription({ type: "integer", format: "int32" }, description);
export const bool = (description?: string): Schema => withDescription({ type: "boolean" }, description);
export const dateTime = (description?: string): Schema => withDescription({ type: "string", format: "date-time" }, description);
export const bytes = (): Schema => ({ type: "string", format: "byte" });
export const intOrString = (): Schema => ({ "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] });
export const stringMap = (description?: string, values: Schema = { type: "string" }): Schema => withDescription({ type: "object", additionalProperties: values }, description);
export const list = (items: Schema, description?: string): Schema => withDescription({ type: "array", items }, description);
export const openObject = (description?: string): Schema => withDescription({ type: "object", "x-kubernetes-preserve-unknown-fields": true }, description);

export function object(properties: Record<string, Schema>, options: { required?: string[]; description?: string } = {}): Schema {
  return withDescription({ type: "object", properties, ...(options.required === undefined ? {} : { required: options.required }) }, options.description);
}

/** The whole object of a built-in kind: apiVersion, kind, metadata plus the kind's own fields. */
export function topLevel(description: string, properties: Record<string, Schema>): Schema {
  return object(
    {
      apiVersion: str("The versioned schema of this representation of an object."),
      kind: str("The REST resource this object represents."),
      metadata: { type: "object" },
      ...properties,
    },
    { description },
  );
}

export const objectReference = (): Schema =>
  object({
    apiVersion: str(),
    fieldPath: str(),
    kind: str(),
    name: str(),
    namespace: str(),
    resourceVersion: str(),
    uid: str(),
  });

function withDescription(schema: Schema, description: string | undefined): Schema {
  return description === undefined ? schema : { description, ...schema };
}
