import type { PrinterColumn } from "./definition.js";

export const AGE_COLUMN: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };
export const PHASE_COLUMN: PrinterColumn = { name: "Phase", type: "string", jsonPath: ".status.phase" };
export const ADDRESS_COLUMN: PrinterColumn = { name: "Address", type: "string", jsonPath: ".status.lastResolvedAddress" };
export const READY_COLUMN: PrinterColumn = {
  name: "Ready",
  type: "string",
  jsonPath: ".status.conditions[?(@.type=='Ready')].status",
};
export const DISCOVERING_COLUMN: PrinterColumn = {
  name: "Discovering",
  type: "string",
  jsonPath: ".status.conditions[?(@.type=='Discovering')].status",
};
