import { runService } from "@ark/service-kit";
import { filesysConfig } from "./config.js";
import { createFilesysServer } from "./server.js";

await runService(filesysConfig, (config) => createFilesysServer(config));
