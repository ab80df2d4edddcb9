export { celCompileError, compileCel, CelError, type CelProgram, type CelVariables } from "./cel.js";
