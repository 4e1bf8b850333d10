import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataError, OptionError } from "../errors";
import { checkOptions, didYouMean, type OptionKeys } from "../options";

/** Every option name of {@link DatasetLookupOptions} (unknown names fail with a suggestion). */
const DATASET_LOOKUP_OPTIONS_KEYS: OptionKeys<DatasetLookupOptions> = { dataDir: true, sharedDir: true, cacheDir: true, download: true, url: true, verify: true };

/** A public data set siemlab can find or fetch by name. */
export interface DatasetInfo {
  /** Catalogue name, e.g. "loghub/OpenSSH_2k". */
  readonly name: string;
  /** Path relative to a data directory, e.g. "loghub/OpenSSH/OpenSSH_2k.log" (also the layout of ../shared/datasets). */
  readonly file: string;
  /** Public download URL. */
  readonly url: string;
  /** Pinned SHA-256 (hex) of the file. */
  readonly sha256: string;
  /** What it is and where it comes from. */
  readonly description: string;
}

const LOGHUB = "https://raw.githubusercontent.com/logpai/loghub/master";

function loghub(system: string, kind: "" | "_structured.csv" | "_templates.csv", sha256: string, what: string): DatasetInfo {
  const suffix = kind === "" ? "" : kind === "_structured.csv" ? "_structured" : "_templates";
  const file = `${system}/${system}_2k.log${kind}`;
  return {
    name: `loghub/${system}_2k${suffix}`,
    file: `loghub/${file}`,
    url: `${LOGHUB}/${file}`,
    sha256,
    description: `Loghub ${system} 2,000-line sample${what} (He et al., Loghub, ISSRE 2023; github.com/logpai/loghub)`,
  };
}

const catalogue = new Map<string, DatasetInfo>();
for (const d of [
  loghub("OpenSSH", "", "1e4912727fa88245113d41b16a0cd25ceadba7f931e1c406542885b91254264f", ": sshd auth.log lines"),
  loghub("OpenSSH", "_structured.csv", "c0996a11545f4b94b435993760afa441a9e373f7bfc9e787afdb8e62f65acb4f", ", parsed into columns with event ids"),
  loghub("OpenSSH", "_templates.csv", "c23fb1bb925abd0ca2b110e661f5f0a1e0f66e4783e61a502ef3486a2d84b2c7", ": its event templates"),
  loghub("Linux", "", "b3e20bc1afe732ab1bf3ed1de4bf9c809e4194e02f7dea911d918e5342e8e173", ": /var/log/messages-style syslog"),
  loghub("Linux", "_structured.csv", "7c86d7b0ecb961a25f00d9475a154df97613b9974f31ce142a146caa2017c71e", ", parsed into columns with event ids"),
  loghub("Linux", "_templates.csv", "60ed088e0aa899a467c66863c30e2ae460d7bc1def1a65bff70ec47a668df0f7", ": its event templates"),
  loghub("Apache", "", "c7efa3eb686e3a96bd2f8f4457b2a7887e9cf2f3649327f1b4e87af841363ce8", ": Apache error log"),
  loghub("Apache", "_structured.csv", "54331d12eedf513f2127f4d89f0284c8b15fddfa5471103abf9db2c73d737778", ", parsed into columns with event ids"),
  loghub("Apache", "_templates.csv", "64e4bf77bb87e6762e59df8ea7eef95ee4dd9be7f29702c767dff88ec951d11f", ": its event templates"),
]) {
  catalogue.set(d.name, d);
}

/**
 * Add a data set to the catalogue (e.g. a private mirror of a log sample). Refuses a taken name.
 *
 * @example
 * registerDataset({ name: "mine/auth", file: "mine/auth.log", url: "https://example.org/auth.log", sha256: "0".repeat(64), description: "my auth.log" });
 */
export function registerDataset(info: DatasetInfo): void {
  if (catalogue.has(info.name)) throw new OptionError(`Dataset ${JSON.stringify(info.name)} is already registered; pick another name.`);
  if (!/^[0-9a-f]{64}$/.test(info.sha256)) throw new OptionError(`Expected \`sha256\` to be 64 lowercase hex digits, got ${JSON.stringify(info.sha256)}`);
  catalogue.set(info.name, info);
}

/**
 * Every catalogued data set.
 *
 * @example
 * listDatasets().map((d) => d.name)[0] // "loghub/OpenSSH_2k"
 */
export function listDatasets(): DatasetInfo[] {
  return [...catalogue.values()];
}

/**
 * A catalogue entry by name, or an OptionError listing the names.
 *
 * @example
 * getDatasetInfo("loghub/OpenSSH_2k").file // "loghub/OpenSSH/OpenSSH_2k.log"
 */
export function getDatasetInfo(name: string): DatasetInfo {
  const d = catalogue.get(name);
  if (!d) throw new OptionError(`Unknown dataset ${JSON.stringify(name)}${didYouMean(name, [...catalogue.keys()])}. Known: ${[...catalogue.keys()].join(", ")}`);
  return d;
}

/**
 * The repository root: the nearest folder up from the working directory (then this file) whose package.json is siemlab's.
 *
 * @example
 * repoRoot() // the checkout's root, e.g. "/work/main" when run anywhere inside a checkout at /work/main
 */
export function repoRoot(): string {
  const starts = [process.cwd()];
  if (typeof __dirname === "string") starts.push(__dirname);
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      const pkg = path.join(dir, "package.json");
      try {
        if (JSON.parse(fs.readFileSync(pkg, "utf8")).name === "siemlab") return dir;
      } catch {
        /* not here */
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return process.cwd();
}

/**
 * Where the shared real data sets live: env SIEMLAB_SHARED_DATASETS, else `<repo>/../shared/datasets`.
 *
 * @example
 * sharedDatasetsDir() // e.g. "/work/shared/datasets" for a checkout at /work/main, SIEMLAB_SHARED_DATASETS unset
 */
export function sharedDatasetsDir(): string {
  return process.env.SIEMLAB_SHARED_DATASETS ?? path.resolve(repoRoot(), "../shared/datasets");
}

/**
 * The user cache for downloads: env SIEMLAB_CACHE_DIR, else `~/.cache/siemlab`.
 *
 * @example
 * datasetCacheDir() // "/root/.cache/siemlab" for root, SIEMLAB_CACHE_DIR and XDG_CACHE_HOME unset
 */
export function datasetCacheDir(): string {
  return process.env.SIEMLAB_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "siemlab");
}

export interface DatasetLookupOptions {
  /** First place to look. Default: env SIEMLAB_DATA_DIR (skipped when unset). */
  readonly dataDir?: string;
  /** Second place. Default: {@link sharedDatasetsDir}. */
  readonly sharedDir?: string;
  /** Third place, and where downloads are written. Default: {@link datasetCacheDir}. */
  readonly cacheDir?: string;
  /** Download when not found locally. Default: true. */
  readonly download?: boolean;
  /** Fetch from here instead of the catalogue URL (a mirror). Default: the catalogue URL. */
  readonly url?: string;
  /** Check the SHA-256 of local files too (downloads are always checked). Default: true. */
  readonly verify?: boolean;
}

function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function candidates(info: DatasetInfo, options: DatasetLookupOptions): string[] {
  const dirs = [options.dataDir ?? process.env.SIEMLAB_DATA_DIR, options.sharedDir ?? sharedDatasetsDir(), options.cacheDir ?? datasetCacheDir()];
  return dirs.filter((d): d is string => typeof d === "string" && d !== "").map((d) => path.join(d, info.file));
}

/**
 * The local path of a catalogued data set if it is in the data dir, the shared dir or the cache (no
 * download), else undefined. Local files are hash-checked unless `verify: false`.
 *
 * @example
 * const p = findDatasetSync("loghub/OpenSSH_2k"); if (p) console.log(fs.readFileSync(p, "utf8").slice(0, 80));
 */
export function findDatasetSync(name: string, options: DatasetLookupOptions = {}): string | undefined {
  checkOptions(options, DATASET_LOOKUP_OPTIONS_KEYS, "findDatasetSync");
  const info = getDatasetInfo(name);
  for (const file of candidates(info, options)) {
    if (!fs.existsSync(file)) continue;
    if (options.verify !== false) {
      const got = sha256File(file);
      if (got !== info.sha256) {
        throw new DataError(
          `${file} does not match the pinned SHA-256 of ${name} (expected ${info.sha256}, got ${got}). ` +
            `Replace it with the original from ${info.url}, or pass { verify: false } to use it anyway.`,
        );
      }
    }
    return file;
  }
  return undefined;
}

/**
 * Find a catalogued data set locally (env SIEMLAB_DATA_DIR, then ../shared/datasets, then ~/.cache/siemlab),
 * else download it with fetch into the cache and verify its pinned SHA-256. Offline or on a hash mismatch
 * it throws a {@link DataError} saying where to put the file.
 *
 * @example
 * const file = await loadDatasetPath("loghub/OpenSSH_2k");
 * const { counts } = await parseLog(file, { year: 2015 });
 */
export async function loadDatasetPath(name: string, options: DatasetLookupOptions = {}): Promise<string> {
  checkOptions(options, DATASET_LOOKUP_OPTIONS_KEYS, "loadDatasetPath");
  const info = getDatasetInfo(name);
  const local = findDatasetSync(name, options);
  if (local) return local;
  const places = candidates(info, options);
  const where = places.join(", ");
  if (options.download === false) throw new DataError(`Dataset ${name} not found. Put ${info.file.split("/").pop()} at one of: ${where}`);
  const url = options.url ?? info.url;
  let body: Buffer;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    body = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new DataError(
      `Dataset ${name} is not available locally and downloading ${url} failed (${(e as Error).message}). ` +
        `Download it on a connected machine and put it at one of: ${where} (or set SIEMLAB_DATA_DIR).`,
    );
  }
  const got = createHash("sha256").update(body).digest("hex");
  if (got !== info.sha256) {
    throw new DataError(
      `Downloaded ${url} but its SHA-256 is ${got}, not the pinned ${info.sha256}; nothing was saved. ` +
        `The file may have changed upstream or the download was altered: fetch it yourself, check it, and put it at one of: ${where}`,
    );
  }
  const target = path.join(options.cacheDir ?? datasetCacheDir(), info.file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, body);
  fs.renameSync(tmp, target);
  return target;
}
