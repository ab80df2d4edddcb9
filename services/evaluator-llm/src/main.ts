import { runService } from "@ark/service-kit";
import { evaluatorConfig } from "./config.js";
import { createEvaluatorService } from "./server.js";

await runService(evaluatorConfig, (config) => createEvaluatorService(config));
