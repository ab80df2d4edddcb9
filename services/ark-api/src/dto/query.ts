import { queryInputText, queryKind, type QueryInput } from "@ark/types";
import { flatDto } from "./flat-dto.js";
import { toIso } from "./kind-dto.js";

export const queryDto = flatDto(queryKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  // A list shows text: a message input's last user message (the details keep the messages).
  input: queryInputText(obj.spec as { input: QueryInput }),
  status: obj.status ?? {},
  creationTimestamp: toIso(obj.metadata.creationTimestamp),
}));
