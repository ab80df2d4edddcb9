import { executorConfig, start } from "./server.js";
import { engineContractSuite } from "@ark/testing/vitest";
import { loadConfig } from "@ark/service-kit";

const TOKEN = "executor-contract-token";

engineContractSuite("executor-langchain", async () => {
  const running = await start(loadConfig(executorConfig, { PORT: "0", LOG_LEVEL: "silent", ENGINE_TOKEN: TOKEN }));
  return { url: running.url, token: TOKEN, stop: running.stop };
});
