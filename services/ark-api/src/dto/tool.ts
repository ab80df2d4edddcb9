import { toolKind } from "@ark/types";
import { wrappedDto } from "./wrapped-dto.js";

export const toolDto = wrappedDto(toolKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  description: obj.spec.description ?? obj.metadata.annotations?.description,
  type: obj.spec.type,
  labels: obj.metadata.labels ?? {},
  annotations: obj.metadata.annotations ?? {},
}));
