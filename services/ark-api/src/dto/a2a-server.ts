import { a2aServerKind } from "@ark/types";
import { serverStatusFields } from "./mcp-server.js";
import { wrappedDto } from "./wrapped-dto.js";

export const a2aServerDto = wrappedDto(a2aServerKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  description: obj.spec.description,
  labels: obj.metadata.labels ?? {},
  annotations: obj.metadata.annotations ?? {},
  ...serverStatusFields(obj),
}));
