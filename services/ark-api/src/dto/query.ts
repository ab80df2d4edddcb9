import { queryKind } from "@ark/types";
import { flatDto } from "./flat-dto.js";
import { toIso } from "./kind-dto.js";

export const queryDto = flatDto(queryKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  input: obj.spec.input,
  status: obj.status ?? {},
  creationTimestamp: toIso(obj.metadata.creationTimestamp),
}));
