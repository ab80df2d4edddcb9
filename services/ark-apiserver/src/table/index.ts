export { TABLE_CONTENT_TYPE, wantsTable } from "./accept.js";
export { ageOf, humanDuration } from "./age.js";
export { evaluateJsonPath, JsonPathError } from "./jsonpath.js";
export { toTable, toWatchEventTable, type IncludeObject, type TableOptions } from "./table.js";
