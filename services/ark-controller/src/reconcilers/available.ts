import { setCondition, type ArkObject, type KindClient } from "@ark/kube";
import { patchStatus } from "@ark/kube";
import { AVAILABLE_CONDITION, AvailableReasons, type Condition } from "@ark/types";

type WithConditions = { conditions?: Condition[]; observedGeneration?: number };

/** Available True when nothing is missing, else False with every problem in the message. */
export async function writeAvailability<Spec, Status extends WithConditions, SpecInput>(
  client: Pick<KindClient<Spec, Status, SpecInput>, "patchStatus">,
  obj: ArkObject<Spec, Status>,
  problems: string[],
  extra: Partial<Status> = {},
): Promise<void> {
  const generation = obj.metadata.generation;
  const conditions = setCondition(
    obj.status?.conditions,
    problems.length === 0
      ? { type: AVAILABLE_CONDITION, status: "True", reason: AvailableReasons.ReferencesResolved, message: "every reference resolves" }
      : { type: AVAILABLE_CONDITION, status: "False", reason: AvailableReasons.ReferenceNotFound, message: problems.join("; ") },
    generation,
  );
  const desired = { ...extra, conditions, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
  await patchStatus(client, obj, desired as Parameters<typeof patchStatus<Spec, Status, SpecInput>>[2]);
}
