import { z } from "zod";
import { GROUP } from "../kinds/definition.js";
import { LabelSelector, labelSelectorShape } from "./label-selector.js";

export const ResourceSelector = z
  .object({
    ...labelSelectorShape,
    resourceType: z.enum(["Query"]).describe("Kind of resource to select."),
    apiGroup: z.string().default(GROUP),
    namespaces: z.array(z.string()).optional().describe("Accepted for compatibility; ignored."),
    namespaceSelector: LabelSelector.optional().describe("Accepted for compatibility; ignored."),
  })
  .describe("Selects resources (Queries) by labels.");
export type ResourceSelector = z.output<typeof ResourceSelector>;
