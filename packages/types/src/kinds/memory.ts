import { z } from "zod";
import { checkValueSource } from "../admission/value-source.js";
import { ValueSource } from "../shared/value-source.js";
import { AddressStatus } from "./address-status.js";
import type { KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { ADDRESS_COLUMN, AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const MemorySpec = z.object({
  address: ValueSource.describe("Base URL of the memory service (GET/PUT /messages/{session})."),
});
export type MemorySpec = z.output<typeof MemorySpec>;

export const MemoryStatus = AddressStatus;
export type MemoryStatus = z.output<typeof MemoryStatus>;

export const memoryKind: KindDefinition<typeof MemorySpec, typeof MemoryStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Memory",
  listKind: "MemoryList",
  plural: "memories",
  singular: "memory",
  spec: MemorySpec,
  status: MemoryStatus,
  printerColumns: [PHASE_COLUMN, ADDRESS_COLUMN, AGE_COLUMN],
  admit: ({ spec }) => checkValueSource(spec.address, "spec.address"),
};
