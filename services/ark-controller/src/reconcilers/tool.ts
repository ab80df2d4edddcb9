import { splitKey, type ArkClient, type InformerCache, type Tool } from "@ark/kube";
import { writeAvailability } from "./available.js";

/** Tool: admission checked its shape; state Ready as upstream, plus the Available condition. MCP reachability comes with MCP tools. */
export function toolReconciler(deps: { tools: InformerCache<Tool>; ark: ArkClient }) {
  return async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const tool = deps.tools.get(namespace, name);
    if (!tool) return;
    await writeAvailability(deps.ark.tools, tool, [], { state: "Ready", message: "Tool configuration is valid" });
  };
}
