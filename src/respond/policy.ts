import * as fs from "node:fs";
import { OptionError } from "../errors";
import { parseIp } from "./ip-address";
import { USERNAME_PATTERN as USERNAME } from "./username";
import type { EntityType, Finding } from "./finding";
import { didYouMean } from "../options";

/** Every response action a policy can name. */
export const ACTION_KINDS = ["log", "alert", "block_ip", "lock_user", "open_ticket"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

const ENTITY_TYPES: readonly EntityType[] = ["ip", "user", "host"];

/** When a tier applies. Every condition given must hold (AND); an empty `when` matches every finding. */
export interface TierCondition {
  /** Minimum 0–100 anomaly score (50 = on the detector's threshold). Default: no minimum. */
  readonly minAnomalyScore?: number;
  /** Maximum decision-function value, e.g. 0 = flagged by the primary detector. Default: no maximum. */
  readonly maxDecision?: number;
  /** Minimum number of detectors/rules that flagged the window. Default: 1. */
  readonly minAgreeing?: number;
  /** Entity types the tier applies to. Default: all. */
  readonly entityTypes?: readonly EntityType[];
}

export interface PolicyTier {
  /** Tier name shown in plans and the audit log, e.g. "high". */
  readonly name: string;
  readonly description?: string;
  readonly when: TierCondition;
  /** Actions to plan when the tier applies. */
  readonly actions: readonly ActionKind[];
}

/** Entities that containment actions (block_ip, lock_user) never touch. Alerts, logs and tickets still happen. */
export interface AllowList {
  /** Addresses or CIDR ranges never blocked. Default: none. */
  readonly ips?: readonly string[];
  /**
   * Usernames never locked. Compared ignoring case on every platform: Windows, Active Directory and macOS
   * treat names case-insensitively, and on Linux (case-sensitive names) protecting `Breakglass` along with
   * `breakglass` fails closed (an action is skipped, never widened). Default: none.
   */
  readonly users?: readonly string[];
}

/** Narrowest CIDR prefix length a block may use, per family (a range wider than this is refused). */
export interface CidrPrefixLimits {
  /** Default: 24 (256 addresses). */
  readonly ipv4?: number;
  /** Default: 48 (one site's allocation). */
  readonly ipv6?: number;
}

/** Default {@link CidrPrefixLimits}: /24 for IPv4, /48 for IPv6. */
export const DEFAULT_MIN_CIDR_PREFIX = { ipv4: 24, ipv6: 48 } as const;

/** A tiered response policy: plain data, usually read from a JSON file with {@link loadPolicy}. */
export interface ResponsePolicy {
  readonly name: string;
  readonly description?: string;
  /** Tiers, checked in order: the first whose `when` holds is chosen. */
  readonly tiers: readonly PolicyTier[];
  readonly allowList?: AllowList;
  /** Allow block_ip on private/internal ranges (10/8, 172.16/12, 192.168/16, loopback, link-local, …). Default: false. */
  readonly blockPrivateRanges?: boolean;
  /**
   * Allow CIDR ranges (not just single addresses) as block targets. A range is refused when it shares any
   * address with an allow-list entry or (unless `blockPrivateRanges`) a private range, or when its prefix is
   * shorter than `minCidrPrefix`. Default: false.
   */
  readonly allowCidrBlocks?: boolean;
  /** Shortest prefix length a blocked range may have, per family. Default: {@link DEFAULT_MIN_CIDR_PREFIX} (/24, /48). */
  readonly minCidrPrefix?: CidrPrefixLimits;
  /**
   * System accounts (root, daemon, nobody, …, `SYSTEM_ACCOUNTS`, and known uids below `uidMin`) that lock_user
   * may lock; every other system account is never locked. Compared ignoring case. Default: none.
   */
  readonly lockableSystemAccounts?: readonly string[];
  /** Uids below this are system accounts when the uid is known (`planResponse`'s `uids`). Default: 1000 (Debian's UID_MIN). */
  readonly uidMin?: number;
  /** For a user finding, block the source IPs seen in its window. Default: true. */
  readonly blockRelatedIps?: boolean;
  /** For an IP finding, lock the users tried from it in its window. Default: false (a spraying IP names many victims). */
  readonly lockRelatedUsers?: boolean;
  /** The same entity and action are not repeated within this many seconds (of event time). Default: 3600. */
  readonly dedupWindowSeconds?: number;
  /**
   * Dry run for `respond()` when the call does not say: must be the boolean true or false (`"false"`, `0`,
   * `""` are validation errors, never "execute"). Default: true.
   */
  readonly dryRun?: boolean;
}

/** A policy failed validation; `issues` lists every problem, each prefixed with its JSON path. */
export class PolicyError extends OptionError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], source?: string) {
    super(
      `Invalid response policy${source ? ` in ${source}` : ""} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n  ` +
        issues.join("\n  "),
    );
    this.issues = issues;
  }
}

const suggest = (value: string, options: readonly string[]): string => didYouMean(value, options);

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "nothing" : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const POLICY_KEYS = ["name", "description", "tiers", "allowList", "blockPrivateRanges", "allowCidrBlocks", "blockRelatedIps", "lockRelatedUsers", "dedupWindowSeconds", "dryRun", "minCidrPrefix", "lockableSystemAccounts", "uidMin"];
const TIER_KEYS = ["name", "description", "when", "actions"];
const WHEN_KEYS = ["minAnomalyScore", "maxDecision", "minAgreeing", "entityTypes"];
/** Keys a policy file may still contain from an earlier release, with the key that replaced each. */
const RENAMED_KEYS: Readonly<Record<string, string>> = { maxScore: "maxDecision" };
const ALLOW_KEYS = ["ips", "users"];

/**
 * Check a policy object (e.g. parsed JSON) and return it typed. Every problem is reported at once, each
 * with its JSON path, e.g. `tiers[2].actions[0]: unknown action "blok"; expected one of log, alert,
 * block_ip, lock_user, open_ticket`. Throws a {@link PolicyError}.
 *
 * @example
 * const policy = validatePolicy({ name: "demo", tiers: [{ name: "high", when: { minAnomalyScore: 90 }, actions: ["alert"] }] });
 */
export function validatePolicy(value: unknown, source?: string): ResponsePolicy {
  const issues: string[] = [];
  const unknownKeys = (obj: Record<string, unknown>, allowed: readonly string[], path: string) => {
    for (const k of Object.keys(obj)) {
      if (allowed.includes(k)) continue;
      const renamed = Object.prototype.hasOwnProperty.call(RENAMED_KEYS, k) ? RENAMED_KEYS[k] : undefined;
      if (renamed !== undefined && allowed.includes(renamed)) {
        issues.push(`${path}${path ? "." : ""}${k}: was renamed to \`${renamed}\` (same meaning); rename the key in the policy file`);
      } else issues.push(`${path}${path ? "." : ""}${k}: unknown key; expected one of ${allowed.join(", ")}${suggest(k, allowed)}`);
    }
  };
  const bool = (obj: Record<string, unknown>, key: string, path: string) => {
    if (obj[key] !== undefined && typeof obj[key] !== "boolean") issues.push(`${path}${key}: expected true or false (a JSON boolean, unquoted), got ${show(obj[key])}`);
  };
  if (!isObject(value)) throw new PolicyError([`(root): expected an object with \`name\` and \`tiers\`, got ${show(value)}`], source);
  unknownKeys(value, POLICY_KEYS, "");
  if (typeof value.name !== "string" || value.name.trim() === "") issues.push(`name: expected a non-empty string, got ${show(value.name)}`);
  if (value.description !== undefined && typeof value.description !== "string") issues.push(`description: expected a string, got ${show(value.description)}`);
  for (const k of ["blockPrivateRanges", "allowCidrBlocks", "blockRelatedIps", "lockRelatedUsers", "dryRun"]) bool(value, k, "");
  const dw = value.dedupWindowSeconds;
  if (dw !== undefined && !(typeof dw === "number" && Number.isFinite(dw) && dw >= 0)) {
    issues.push(`dedupWindowSeconds: expected a number of seconds ≥ 0, got ${show(dw)}`);
  }
  const mp = value.minCidrPrefix;
  if (mp !== undefined) {
    if (!isObject(mp)) issues.push(`minCidrPrefix: expected an object like { "ipv4": 24, "ipv6": 48 }, got ${show(mp)}`);
    else {
      unknownKeys(mp, ["ipv4", "ipv6"], "minCidrPrefix");
      for (const [k, max] of [["ipv4", 32], ["ipv6", 128]] as const) {
        const v = mp[k];
        if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max)) {
          issues.push(`minCidrPrefix.${k}: expected an integer prefix length 0–${max}, got ${show(v)}`);
        }
      }
    }
  }
  const lsa = value.lockableSystemAccounts;
  if (lsa !== undefined) {
    if (!Array.isArray(lsa)) issues.push(`lockableSystemAccounts: expected an array of usernames, got ${show(lsa)}`);
    else lsa.forEach((u: unknown, j: number) => {
      if (typeof u !== "string" || !USERNAME.test(u)) issues.push(`lockableSystemAccounts[${j}]: expected a username (letters, digits, _ . @ -), got ${show(u)}`);
    });
  }
  const um = value.uidMin;
  if (um !== undefined && !(typeof um === "number" && Number.isInteger(um) && um >= 0)) issues.push(`uidMin: expected an integer uid ≥ 0 (e.g. 1000), got ${show(um)}`);
  if (!Array.isArray(value.tiers) || value.tiers.length === 0) {
    issues.push(`tiers: expected a non-empty array of tiers, got ${show(value.tiers)}`);
  } else {
    const names = new Set<string>();
    value.tiers.forEach((tier: unknown, i: number) => {
      const p = `tiers[${i}]`;
      if (!isObject(tier)) return issues.push(`${p}: expected an object with name, when and actions, got ${show(tier)}`);
      unknownKeys(tier, TIER_KEYS, p);
      if (typeof tier.name !== "string" || tier.name.trim() === "") issues.push(`${p}.name: expected a non-empty string, got ${show(tier.name)}`);
      else if (names.has(tier.name)) issues.push(`${p}.name: duplicate tier name ${show(tier.name)}; tier names must be unique`);
      else names.add(tier.name);
      if (tier.description !== undefined && typeof tier.description !== "string") issues.push(`${p}.description: expected a string, got ${show(tier.description)}`);
      const when = tier.when;
      if (!isObject(when)) {
        issues.push(`${p}.when: expected an object of conditions (use {} to match every finding), got ${show(when)}`);
      } else {
        unknownKeys(when, WHEN_KEYS, `${p}.when`);
        const a = when.minAnomalyScore;
        if (a !== undefined && !(typeof a === "number" && a >= 0 && a <= 100)) issues.push(`${p}.when.minAnomalyScore: expected a number in [0, 100], got ${show(a)}`);
        const s = when.maxDecision;
        if (s !== undefined && !(typeof s === "number" && Number.isFinite(s))) issues.push(`${p}.when.maxDecision: expected a finite decision-function value (e.g. 0), got ${show(s)}`);
        const g = when.minAgreeing;
        if (g !== undefined && !(typeof g === "number" && Number.isInteger(g) && g >= 1)) issues.push(`${p}.when.minAgreeing: expected an integer ≥ 1, got ${show(g)}`);
        const t = when.entityTypes;
        if (t !== undefined) {
          if (!Array.isArray(t) || t.length === 0) issues.push(`${p}.when.entityTypes: expected a non-empty array of ${ENTITY_TYPES.join(", ")}, got ${show(t)}`);
          else t.forEach((e: unknown, j: number) => {
            if (!ENTITY_TYPES.includes(e as EntityType)) issues.push(`${p}.when.entityTypes[${j}]: unknown entity type ${show(e)}; expected one of ${ENTITY_TYPES.join(", ")}`);
          });
        }
      }
      const actions = tier.actions;
      if (!Array.isArray(actions)) {
        issues.push(`${p}.actions: expected an array of actions (${ACTION_KINDS.join(", ")}), got ${show(actions)}`);
      } else {
        actions.forEach((act: unknown, j: number) => {
          if (!ACTION_KINDS.includes(act as ActionKind)) {
            issues.push(`${p}.actions[${j}]: unknown action ${show(act)}; expected one of ${ACTION_KINDS.join(", ")}${typeof act === "string" ? suggest(act, ACTION_KINDS) : ""}`);
          } else if (actions.indexOf(act) !== j) {
            issues.push(`${p}.actions[${j}]: action ${show(act)} is listed twice`);
          }
        });
      }
    });
  }
  const allow = value.allowList;
  if (allow !== undefined) {
    if (!isObject(allow)) issues.push(`allowList: expected an object with ips and/or users, got ${show(allow)}`);
    else {
      unknownKeys(allow, ALLOW_KEYS, "allowList");
      if (allow.ips !== undefined) {
        if (!Array.isArray(allow.ips)) issues.push(`allowList.ips: expected an array of addresses or CIDR ranges, got ${show(allow.ips)}`);
        else allow.ips.forEach((ip: unknown, j: number) => {
          try {
            parseIp(ip as string, { allowCidr: true });
          } catch (e) {
            issues.push(`allowList.ips[${j}]: ${(e as Error).message}`);
          }
        });
      }
      if (allow.users !== undefined) {
        if (!Array.isArray(allow.users)) issues.push(`allowList.users: expected an array of usernames, got ${show(allow.users)}`);
        else allow.users.forEach((u: unknown, j: number) => {
          if (typeof u !== "string" || !USERNAME.test(u)) issues.push(`allowList.users[${j}]: expected a username (letters, digits, _ . @ -), got ${show(u)}`);
        });
      }
    }
  }
  if (issues.length) throw new PolicyError(issues, source);
  return value as unknown as ResponsePolicy;
}

/**
 * Read and validate a policy JSON file.
 *
 * @example
 * const policy = loadPolicy("data/policy/default.json");
 */
export function loadPolicy(path: string): ResponsePolicy {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    throw new OptionError(`Cannot read policy file ${path}: ${(e as Error).message}; check the path (relative to the repo root in notebooks)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new OptionError(`Policy file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return validatePolicy(parsed, path);
}

/**
 * True when the finding satisfies every condition of `when`.
 *
 * @example
 * tierMatches(finding, { minAnomalyScore: 70, maxDecision: 0 }) // true
 */
export function tierMatches(finding: Finding, when: TierCondition): boolean {
  if (when.minAnomalyScore !== undefined && !(finding.anomalyScore >= when.minAnomalyScore)) return false;
  if (when.maxDecision !== undefined && !(finding.decision <= when.maxDecision)) return false;
  if (when.minAgreeing !== undefined && finding.detectors.length < when.minAgreeing) return false;
  if (when.entityTypes !== undefined && !when.entityTypes.includes(finding.entityType)) return false;
  return true;
}

/**
 * The first tier of the policy whose conditions the finding satisfies, or undefined (no response).
 *
 * @example
 * selectTier(finding, policy)?.name // "medium"
 */
export function selectTier(finding: Finding, policy: ResponsePolicy): PolicyTier | undefined {
  return policy.tiers.find((t) => tierMatches(finding, t.when));
}
