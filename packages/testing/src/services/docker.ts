import { errorMessage } from "./require-services.js";

export type DockerCheck = { available: true } | { available: false; reason: string };

let check: Promise<DockerCheck> | undefined;

/** Whether a container engine answers; testcontainers is imported only here, lazily (no engine: ~5 ms). */
export function dockerAvailable(): Promise<DockerCheck> {
  check ??= (async (): Promise<DockerCheck> => {
    try {
      const { getContainerRuntimeClient } = await import("testcontainers");
      await getContainerRuntimeClient();
      return { available: true };
    } catch (error) {
      return { available: false, reason: `no Docker engine (${errorMessage(error)})` };
    }
  })();
  return check;
}
