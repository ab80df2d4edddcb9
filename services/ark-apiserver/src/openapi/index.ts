export { openApiV3GroupDoc } from "./group-doc.js";
export { openApiV3Root, renderedGroupDoc } from "./root.js";
