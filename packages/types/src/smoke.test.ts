import { expect, test } from "vitest";
import { GROUP } from "@ark/types";
test("resolves the workspace package from source", () => { expect(GROUP).toBe("ark.mckinsey.com"); });
