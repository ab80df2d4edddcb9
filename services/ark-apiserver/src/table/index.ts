export { TABLE_CONTENT_TYPE, wantsTable } from "./accept.js";
export { humanDuration } from "./age.js";
export { toTable, toWatchEventTable, type IncludeObject } from "./table.js";
