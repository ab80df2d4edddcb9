import { GO_BUILTINS } from "./builtins.js";
import type { FunctionSet } from "./function-set.js";

const { not, and, or, eq, ne, len } = GO_BUILTINS;

/** What agent prompts, query inputs, HTTP bodies and parameters may call (docs/upstream-compat.md §1.4). */
export const PROMPT_FUNCTIONS: FunctionSet = { not: not!, and: and!, or: or!, eq: eq!, ne: ne!, len: len! };
