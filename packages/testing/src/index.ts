export { startMockModel } from "./mock-model/server.js";
export type * from "./mock-model/types.js";
