import { describe, expect, it } from "vitest";
import { prototypeKeyErrors } from "./prototype-keys.js";
import { jsonPointerToFieldPath, unprocessable } from "./validation.js";

describe("field paths", () => {
  it("turns JSON pointers into packages/types paths", () => {
    expect(jsonPointerToFieldPath("/tools/1/name")).toBe("tools[1].name");
    expect(jsonPointerToFieldPath("/a~1b/c~0d")).toBe("a/b.c~d");
    expect(jsonPointerToFieldPath("")).toBe("");
  });

  it("refuses keys that name Object.prototype members, wherever they are", () => {
    const body = JSON.parse('{"tools":[{"constructor":1}],"ok":{"toString":"x"},"fine":true}') as unknown;
    expect(prototypeKeyErrors(body, "spec").map((e) => e.field)).toEqual(["spec.tools[0].constructor", "spec.ok.toString"]);
  });

  it("says every invalid field in a 422", () => {
    const error = unprocessable([{ field: "spec.tools[0].name", type: "Required value", detail: "built-in tools must specify a name" }], "Agent default/a");
    expect(error.httpStatus).toBe(422);
    expect(error.message).toBe("Agent default/a is invalid: spec.tools[0].name: Required value: built-in tools must specify a name");
    expect(error.details).toEqual([{ field: "spec.tools[0].name", message: "Required value: built-in tools must specify a name" }]);
  });
});
