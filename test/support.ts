// Small helpers shared by several test files (not tests themselves).
import { readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** Every `.ts` file (not `.d.ts`) below `dir`, depth first, in sorted order. */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
    });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read the port, close). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });
}
