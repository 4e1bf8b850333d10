import type { LogEvent } from "../events";
import { ANOMALY_SCORE_THRESHOLD } from "./anomaly-score";
import type { EntityType, Finding } from "./finding";
import { IpRangeSet, addressCount, parseIp, privateRangeOf } from "./ip-address";
import type { ParsedIp } from "./ip-address";
import { DEFAULT_MIN_CIDR_PREFIX, selectTier, validatePolicy } from "./policy";
import { DEFAULT_UID_MIN, systemAccountReason } from "./system-accounts";
import type { ActionKind, PolicyTier, ResponsePolicy } from "./policy";
import { validateUsername } from "./username";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link PlanOptions} (unknown names fail with a suggestion). */
export const PLAN_OPTIONS_KEYS: OptionKeys<PlanOptions> = { maxEvents: true, uids: true };

/** A short, display-safe copy of one matching event. */
export interface EventExcerpt {
  readonly lineNo: number;
  /** ISO-8601 UTC time, or "" when the event has none. */
  readonly time: string;
  readonly eventType: string;
  readonly user?: string;
  readonly srcIp?: string;
  readonly outcome?: string;
  /** The message, cut to 200 characters. */
  readonly message: string;
}

/** Everything that justified an action, copied from the finding (see {@link Finding} for those fields). */
export interface Evidence
  extends Pick<
    Finding,
    "entity" | "entityType" | "windowStart" | "windowEnd" | "decision" | "offset" | "anomalyScore" | "contamination" | "detector" | "detectors" | "seed" | "features" | "related"
  > {
  /** Anomaly score of the detector's threshold (always 50). */
  readonly anomalyThreshold: number;
  /** Line numbers of every matching event. */
  readonly lineNos: readonly number[];
  /** Up to `maxEvents` matching events. */
  readonly events: readonly EventExcerpt[];
}

/** Planning outcome: "planned" actions go to executors; the others are recorded and skipped. */
export type PlanStatus = "planned" | "skipped_allowlist" | "rejected_invalid" | "skipped_no_target";

/** One action of a response plan, with the tier and reason that chose it and its evidence. */
export interface PlannedAction {
  /** Stable id: `tier:kind:target:windowStart`. */
  readonly id: string;
  readonly kind: ActionKind;
  /** What the action acts on: an IP for block_ip, a username for lock_user, otherwise the finding's entity. */
  readonly target: string;
  readonly targetType: EntityType;
  readonly tier: string;
  /** Why this tier was chosen, e.g. `tier "high": anomaly score 97.1 ≥ 90; 2 detectors agree (≥ 2)`. */
  readonly reason: string;
  readonly status: PlanStatus;
  /** Why a non-"planned" action is skipped. */
  readonly statusReason?: string;
  /** The target as the log gave it, when the plan normalised it (e.g. `::ffff:203.0.113.9` → `203.0.113.9`). */
  readonly normalisedFrom?: string;
  readonly evidence: Evidence;
}

export interface PlanOptions {
  /** Matching events copied into each action's evidence. Default: 20. */
  readonly maxEvents?: number;
  /**
   * Known numeric user ids by user name (e.g. from `parsePasswd` of the host's /etc/passwd): users with
   * a uid below the policy's `uidMin` are system accounts and are never locked unless the policy's
   * `lockableSystemAccounts` names them. Default: none known (the built-in system account names still apply).
   */
  readonly uids?: Readonly<Record<string, number>>;
}

function excerpt(e: LogEvent): EventExcerpt {
  return {
    lineNo: e.lineNo,
    time: Number.isFinite(e.time) ? new Date(e.time).toISOString() : "",
    eventType: e.eventType,
    user: e.user,
    srcIp: e.srcIp,
    outcome: e.outcome,
    message: e.message.length > 200 ? e.message.slice(0, 200) + "…" : e.message,
  };
}

function tierReason(f: Finding, tier: PolicyTier): string {
  const w = tier.when;
  const parts: string[] = [];
  if (w.minAnomalyScore !== undefined) parts.push(`anomaly score ${f.anomalyScore.toFixed(1)} ≥ ${w.minAnomalyScore}`);
  if (w.maxDecision !== undefined) parts.push(`decision ${f.decision.toFixed(4)} ≤ ${w.maxDecision}`);
  if (w.minAgreeing !== undefined) parts.push(`${f.detectors.length} detector(s) agree (≥ ${w.minAgreeing})`);
  if (w.entityTypes !== undefined) parts.push(`entity type ${f.entityType}`);
  return `tier "${tier.name}": ${parts.length ? parts.join("; ") : "matches every finding"}`;
}

/**
 * Plan the response to findings under a policy: choose each finding's tier (first match), expand its
 * actions into concrete targets (the IP to block, the user to lock), and mark the ones that must not run:
 * allow-listed or private-range IPs, allow-listed users, invalid IPs/usernames (e.g. injection strings),
 * and actions with no target. Pure: nothing is executed; pass the plan to `executePlan`.
 *
 * @example
 * const plan = planResponse(findings, loadPolicy("data/policy/default.json"));
 * plan.filter((a) => a.status === "planned").map((a) => `${a.kind} ${a.target}`);
 */
export function planResponse(findings: readonly Finding[], policy: ResponsePolicy, options: PlanOptions = {}): PlannedAction[] {
  checkOptions(options, PLAN_OPTIONS_KEYS, "planResponse");
  validatePolicy(policy);
  const maxEvents = options.maxEvents ?? 20;
  const allowIps = new IpRangeSet(policy.allowList?.ips ?? []);
  // User names are compared case-insensitively for protection on every platform (fail closed; see AllowList.users).
  const allowUsers = new Set((policy.allowList?.users ?? []).map((u) => u.toLowerCase()));
  const lockable = new Set((policy.lockableSystemAccounts ?? []).map((u) => u.toLowerCase()));
  const uidMin = policy.uidMin ?? DEFAULT_UID_MIN;
  const minPrefix = { 4: policy.minCidrPrefix?.ipv4 ?? DEFAULT_MIN_CIDR_PREFIX.ipv4, 6: policy.minCidrPrefix?.ipv6 ?? DEFAULT_MIN_CIDR_PREFIX.ipv6 };
  const actions: PlannedAction[] = [];
  for (const f of findings) {
    const tier = selectTier(f, policy);
    if (!tier) continue;
    const reason = tierReason(f, tier);
    const events = f.events ?? [];
    const evidence: Evidence = {
      entity: f.entity,
      entityType: f.entityType,
      windowStart: f.windowStart,
      windowEnd: f.windowEnd,
      decision: f.decision,
      anomalyScore: f.anomalyScore,
      anomalyThreshold: ANOMALY_SCORE_THRESHOLD,
      offset: f.offset,
      contamination: f.contamination,
      detector: f.detector,
      detectors: f.detectors,
      seed: f.seed,
      features: f.features,
      lineNos: events.map((e) => e.lineNo),
      events: events.slice(0, maxEvents).map(excerpt),
      related: f.related,
    };
    const push = (kind: ActionKind, target: string, targetType: EntityType, status: PlanStatus, statusReason?: string, normalisedFrom?: string) =>
      actions.push({
        id: `${tier.name}:${kind}:${target}:${f.windowStart}`, kind, target, targetType, tier: tier.name, reason, status, statusReason,
        ...(normalisedFrom !== undefined ? { normalisedFrom } : {}), evidence,
      });
    for (const kind of tier.actions) {
      if (kind === "block_ip") {
        const ips = f.entityType === "ip" ? [f.entity] : policy.blockRelatedIps === false ? [] : f.related?.ips ?? [];
        if (ips.length === 0) {
          push(kind, f.entity, f.entityType, "skipped_no_target",
            f.entityType === "ip" ? "no IP" : `no source IP seen for ${f.entityType} ${f.entity} in the window${policy.blockRelatedIps === false ? " (blockRelatedIps is false)" : ""}`);
        }
        for (const ip of ips) {
          let p: ParsedIp;
          try {
            p = parseIp(ip, { allowCidr: policy.allowCidrBlocks === true });
          } catch (e) {
            push(kind, ip, "ip", "rejected_invalid", (e as Error).message);
            continue;
          }
          const text = p.text;
          // What is blocked is the canonical form; the audit row says what it was normalised from.
          const from = p.normalisedFrom !== undefined ? ` (normalised from ${JSON.stringify(p.normalisedFrom)})` : "";
          const what = p.prefix === undefined ? text : `range ${text} (${addressCount(p)} addresses)`;
          const allowed = allowIps.match(text);
          const priv = policy.blockPrivateRanges ? undefined : privateRangeOf(text);
          const key = p.family === 4 ? "ipv4" : "ipv6";
          // Protected ranges first (raising the prefix limit would not change those), then the prefix limit.
          if (allowed) {
            push(kind, text, "ip", "skipped_allowlist", p.prefix === undefined
              ? `${text}${from} is allow-listed (allowList.ips contains ${allowed})`
              : `${what}${from} overlaps allow-listed ${allowed} (allowList.ips)`);
          } else if (priv) {
            push(kind, text, "ip", "skipped_allowlist",
              `${what}${from} ${p.prefix === undefined ? "is in" : "overlaps"} private/internal range ${priv}; set blockPrivateRanges: true in the policy to allow blocking it`);
          } else if (p.prefix !== undefined && p.prefix < minPrefix[p.family]) {
            push(kind, text, "ip", "rejected_invalid",
              `${what}${from} is wider than the policy allows for ${key.toUpperCase().replace("IPV", "IPv")} (prefix /${minPrefix[p.family]} or longer); ` +
                `raise minCidrPrefix.${key} in the policy only if blocking that many addresses is intended`);
          } else push(kind, text, "ip", "planned", undefined, p.normalisedFrom);
        }
      } else if (kind === "lock_user") {
        const users = f.entityType === "user" ? [f.entity] : policy.lockRelatedUsers ? f.related?.users ?? [] : [];
        if (users.length === 0) {
          push(kind, f.entity, f.entityType, "skipped_no_target",
            f.entityType === "user" ? "no user" : `finding is about ${f.entityType} ${f.entity}; set lockRelatedUsers: true to lock the users seen from it`);
        }
        for (const user of users) {
          try {
            validateUsername(user);
          } catch (e) {
            push(kind, user, "user", "rejected_invalid", (e as Error).message);
            continue;
          }
          const system = lockable.has(user.toLowerCase()) ? undefined : systemAccountReason(user, options.uids?.[user], uidMin);
          if (allowUsers.has(user.toLowerCase())) push(kind, user, "user", "skipped_allowlist", `user ${user} is allow-listed (allowList.users, compared ignoring case)`);
          else if (system) push(kind, user, "user", "skipped_allowlist", `${system}: system accounts are never locked unless the policy's lockableSystemAccounts names them`);
          else push(kind, user, "user", "planned");
        }
      } else {
        push(kind, f.entity, f.entityType, "planned");
      }
    }
  }
  return actions;
}

/**
 * One flat row per planned action, for a table.
 *
 * @example
 * showTable(planRows(plan));
 */
export function planRows(plan: readonly PlannedAction[]): Record<string, string | number>[] {
  return plan.map((a) => ({
    tier: a.tier,
    action: a.kind,
    target: a.target,
    status: a.status,
    entity: a.evidence.entity,
    window: new Date(a.evidence.windowStart).toISOString(),
    anomalyScore: Math.round(a.evidence.anomalyScore * 10) / 10,
    decision: Math.round(a.evidence.decision * 10000) / 10000,
    detectors: a.evidence.detectors.join(", "),
    events: a.evidence.lineNos.length,
    reason: a.statusReason ?? a.reason,
  }));
}
