import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/errors";
import { lockUserCommand, lockUserCommandFile } from "../../../src/respond/executors/lock-user";
import { planResponse } from "../../../src/respond/plan";
import { shellQuote } from "../../../src/respond/username";
import { POLICY, finding } from "../helpers";

describe("lockUserCommand", () => {
  it("renders shell-quoted commands", () => {
    expect(lockUserCommand("alice")).toBe("usermod -L 'alice'");
    expect(lockUserCommand("svc.backup-01", { tool: "passwd" })).toBe("passwd -l 'svc.backup-01'");
    expect(lockUserCommand("bob@corp", { tool: "faillock" })).toBe("faillock --user 'bob@corp'");
    expect(shellQuote("o'brien")).toBe("'o'\\''brien'");
  });

  it.each(["alice; reboot", "-G wheel", "a b", "alice'", "$(id)", "x\ny", "", "a".repeat(65)])("rejects %j", (bad) => {
    expect(() => lockUserCommand(bad)).toThrow(DataError);
  });

  it("appends to a file for the analyst's tooling", async () => {
    const action = planResponse([finding({ entity: "alice", entityType: "user" })], POLICY).find((a) => a.kind === "lock_user")!;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-lock-")), "lock.sh");
    expect((await lockUserCommandFile({ path: file }).execute(action)).ok).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toBe("usermod -L 'alice'\n");
  });
});
