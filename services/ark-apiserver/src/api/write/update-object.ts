import { admit, admitStatusUpdate, type FieldValidation } from "../../admission/admit.js";
import type { UserInfo } from "../../auth/user.js";
import type { KubeObject } from "../../kube-object.js";
import { checkRbacWrite } from "../../rbac/escalation.js";
import type { ResourceType } from "../../resource-type.js";
import type { StoredObject } from "../../store/object-store.js";
import type { ApiContext } from "../context.js";
import { mergeUpdate, withGeneration } from "./object-meta.js";
import { persistUpdate } from "./persist.js";
import { foldStringData } from "./secret-string-data.js";
import { checkDecider, checkDecisionUnchanged } from "../../admission/tool-approval-decision.js";

export interface UpdateOptions {
  subresource: string | undefined;
  fieldValidation: FieldValidation;
  dryRun: boolean;
  /** The writer, for RBAC escalation checks. */
  user?: UserInfo;
}

/** Merges, admits and stores an update of `current`; PreconditionFailedError when it changed meanwhile. */
export async function updateStored(ctx: ApiContext, rt: ResourceType, current: StoredObject, incoming: KubeObject, opts: UpdateOptions): Promise<{ object: KubeObject; warnings: string[] }> {
  const body = rt.kind === "Secret" ? foldStringData(incoming) : incoming;
  const merged = mergeUpdate(rt, current.object, body, opts.subresource);
  const admitted = opts.subresource === "status" ? admitStatusUpdate(rt, merged, { fieldValidation: opts.fieldValidation }) : admit(rt, merged, { fieldValidation: opts.fieldValidation, operation: "update" });
  const next = withGeneration(rt, current.object, admitted.object);
  if (opts.subresource === "status") {
    checkDecisionUnchanged(rt, current.object, next);
    checkDecider(ctx.access, opts.user, ctx.serviceNamespace, rt, current.object, next);
  }
  checkRbacWrite(ctx.access, opts.user, rt, next, current.object);
  return { object: await persistUpdate(ctx, rt, current, next, opts.dryRun), warnings: admitted.warnings };
}
