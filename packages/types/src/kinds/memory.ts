import { z } from "zod";
import { checkHeaders } from "../admission/headers.js";
import { checkValueSource } from "../admission/value-source.js";
import { Header } from "../shared/header.js";
import { ValueSource } from "../shared/value-source.js";
import { AddressStatus } from "./address-status.js";
import type { KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { ADDRESS_COLUMN, AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const MemorySpec = z.object({
  address: ValueSource.describe("Base URL of the memory service (GET/PUT /messages/{session})."),
  headers: z.array(Header).optional().describe("Sent on every request to the memory service (a query's reads and writes, the probe)."),
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
  admit: ({ spec }) => [...checkValueSource(spec.address, "spec.address"), ...checkHeaders(spec.headers, "spec.headers")],
};
