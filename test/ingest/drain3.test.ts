/**
 * Drain behaves as Drain3 (logpai/Drain3 drain.py, template_miner.py, masking.py). Inputs are our own, in the
 * style of Drain3's tests and README; expected values are derived from Drain3's code (the reasoning is in the
 * comments), not from running it.
 */
import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { Drain, mineTemplates } from "../../src/ingest/drain";

const templatesOf = (d: Drain) => d.templates().map((t) => t.template);
const addAll = (d: Drain, lines: readonly string[]) => lines.map((l) => d.add(l));

describe("depth means Drain3's depth", () => {
  it("default depth 4 routes by the first token only: 'user alice/bob logged in' merge", () => {
    const d = new Drain();
    expect(d.depth).toBe(4);
    const [a, b] = addAll(d, ["user alice logged in", "user bob logged in"]);
    expect([a.templateId, b.templateId]).toEqual([1, 1]);
    expect(b).toMatchObject({ template: "user <*> logged in", changeType: "cluster_template_changed", clusterSize: 2, clusterCount: 1 });
  });

  it("depth 5 routes by two tokens (alice and bob get different leaves); depth 3 by the token count only", () => {
    const five = new Drain({ depth: 5 });
    addAll(five, ["user alice logged in", "user bob logged in"]);
    expect(templatesOf(five)).toEqual(["user alice logged in", "user bob logged in"]);
    // depth 3: one leaf per length, so different first tokens still meet; depth 4 separates them.
    const three = new Drain({ depth: 3 });
    addAll(three, ["alpha job done", "beta job done"]);
    expect(templatesOf(three)).toEqual(["<*> job done"]);
    const four = new Drain({ depth: 4 });
    addAll(four, ["alpha job done", "beta job done"]);
    expect(templatesOf(four)).toEqual(["alpha job done", "beta job done"]);
  });

  it("never routes by the last token: two-token messages share the leaf of their first token at any depth", () => {
    const d = new Drain({ depth: 8 });
    addAll(d, ["open alpha", "open beta"]);
    expect(templatesOf(d)).toEqual(["open <*>"]); // similarity 1/2 ≥ 0.4
  });

  it("a message of one token is routed by its length only", () => {
    const d = new Drain();
    const r = addAll(d, ["hello", "hello", "goodbye"]);
    // "goodbye" meets "hello" in the length-1 leaf with similarity 0/1 < 0.4: a template of its own.
    expect(r.map((x) => x.changeType)).toEqual(["cluster_created", "none", "cluster_created"]);
    expect(templatesOf(d)).toEqual(["hello", "goodbye"]);
  });
});

describe("the wildcard branch", () => {
  it("a new token with no child of its own searches the wildcard child before creating a template", () => {
    // "job7" has a digit, so its template goes under the wildcard child of the 3-token node. "nightly" has no
    // child: Drain3's tree search falls back to the wildcard child and joins "job7 started ok" (2/3 ≥ 0.4).
    const d = new Drain();
    addAll(d, ["job7 started ok", "nightly started ok"]);
    expect(templatesOf(d)).toEqual(["<*> started ok"]);
    // The other order: "nightly" gets its own child; "job7" finds neither its token nor a wildcard child, so
    // it starts a template under a new wildcard child.
    const r = new Drain();
    addAll(r, ["nightly started ok", "job7 started ok"]);
    expect(templatesOf(r)).toEqual(["nightly started ok", "job7 started ok"]);
  });

  it("parametrizeNumericTokens: false gives tokens with digits their own child", () => {
    const d = new Drain({ parametrizeNumericTokens: false });
    addAll(d, ["job7 started ok", "nightly started ok"]);
    expect(templatesOf(d)).toEqual(["job7 started ok", "nightly started ok"]);
  });

  it("a node full at maxChildren sends new tokens to its wildcard child (created when one slot is left)", () => {
    // maxChildren 3: alpha and beta get children (0+1 < 3, 1+1 < 3); gamma arrives at 2+1 = 3 and creates
    // the wildcard child; delta then searches the wildcard child and joins gamma's template.
    const d = new Drain({ maxChildren: 3 });
    addAll(d, ["alpha job done", "beta job done", "gamma job done", "delta job done", "epsilon job done"]);
    expect(d.templates()).toEqual([
      { id: 1, template: "alpha job done", count: 1 },
      { id: 2, template: "beta job done", count: 1 },
      { id: 3, template: "<*> job done", count: 3 },
    ]);
    const tree = d.toJSON().tree;
    expect(tree.map(([k]) => k)).toEqual(["3"]);
    expect(tree[0][1].children.map(([k]) => k)).toEqual(["alpha", "beta", "<*>"]);
  });

  it("similarity counts a <*> as unequal when learning; ties go to the template with more <*>", () => {
    // st 0.75: "a b c d" vs "a b x y" is 2/4, a new template; "a b c y" is 3/4 to the first and 2/4 to the second.
    const d = new Drain({ depth: 3, similarityThreshold: 0.75 });
    const r = addAll(d, ["a b c d", "a b x y", "a b c y"]);
    expect(r.map((x) => x.templateId)).toEqual([1, 2, 1]);
    expect(templatesOf(d)).toEqual(["a b c <*>", "a b x y"]);
  });
});

describe("named masks (Drain3's masking)", () => {
  it("replace matches with <NAME>, in order, with Drain3's mask prefix and suffix options", () => {
    const masks = [
      { name: "IP", pattern: /(?<![A-Za-z0-9])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![A-Za-z0-9])/g },
      { name: "NUM", pattern: /(?<![A-Za-z0-9])[-+]?\d+(?![A-Za-z0-9])/g },
    ];
    const d = new Drain({ masks, maskPrefix: "<:", maskSuffix: ":>" });
    expect(d.paramStr).toBe("<:*:>");
    addAll(d, ["session opened for 10.1.1.1", "session opened for 172.16.0.9", "job alice finished in 12 s", "job bob finished in 3 s"]);
    expect(templatesOf(d)).toEqual(["session opened for <:IP:>", "job <:*:> finished in <:NUM:> s"]);
    // Order matters: NUM first leaves nothing for IP to match.
    expect(new Drain({ masks: [masks[1], masks[0]] }).mask("from 10.1.1.1")).toBe("from <NUM>.<NUM>.<NUM>.<NUM>");
  });

  it("defaults: <IP>, <HEX>, <PATH>, <NUM>, with letters or digits around a match blocking it", () => {
    const d = new Drain();
    expect(d.mask("sshd[4242]: from 192.168.1.20:50022 id=0x1F user test9 ssh2 code -3 ratio 0.75 /etc/ssh/sshd_config"))
      .toBe("sshd[<NUM>]: from <IP>:<NUM> id=<HEX> user test9 ssh2 code <NUM> ratio <NUM> <PATH>");
    expect(d.mask("2001:db8:85a3:8d3:1319:8a2e:370:7348 up; hash 9f86d081884c7d65 ok")).toBe("<IP> up; hash <HEX> ok");
  });

  it("a bare RegExp is a mask named '*'; masks: false masks nothing; replacement text is literal", () => {
    expect(new Drain({ masks: [/\d+/g] }).mask("a 1 b 22")).toBe("a <*> b <*>");
    expect(new Drain({ masks: false }).tokenize("a 1 b")).toEqual(["a", "1", "b"]);
    expect(new Drain({ masks: [{ name: "$&", pattern: /x/g }] }).mask("axb")).toBe("a<$&>b");
  });

  it("extraDelimiters split tokens after masking", () => {
    const d = new Drain({ extraDelimiters: ["_", "="] });
    expect(d.tokenize("job_7_done state=ok")).toEqual(["job", "<NUM>", "done", "state", "ok"]);
  });

  it("whitespace is Python's: runs of spaces, tabs and U+001C–U+001F separate tokens, U+FEFF does not", () => {
    const d = new Drain({ masks: false });
    expect(d.tokenize("  a \t b\x1fc\u3000d \ufeffe  ")).toEqual(["a", "b", "c", "d", "\ufeffe"]);
  });

  it("an empty message has the empty template", () => {
    const d = new Drain();
    const r = addAll(d, ["", "   ", "x"]);
    expect(r.map((x) => [x.templateId, x.template, x.changeType])).toEqual([
      [1, "", "cluster_created"],
      [1, "", "none"],
      [2, "x", "cluster_created"],
    ]);
    expect(d.match("")?.templateId).toBe(1);
  });
});

describe("extractParameters (Drain3's extract_parameters)", () => {
  const d = new Drain();
  it("returns each variable value with its mask name, left to right", () => {
    const { template } = d.add("user carol logged in 7 minutes ago");
    d.add("user dave logged in 19 minutes ago");
    expect(d.templateText(1)).toBe("user <*> logged in <NUM> minutes ago");
    expect(template).toBe("user carol logged in <NUM> minutes ago");
    expect(d.extractParameters(d.templateText(1), "user carol logged in 7 minutes ago")).toEqual([
      { value: "carol", maskName: "*" },
      { value: "7", maskName: "NUM" },
    ]);
    // Extra whitespace between tokens still matches, as in Drain3 (spaces become \s+).
    expect(d.extractParameters(d.templateText(1), "user  erin\tlogged in 120 minutes ago")).toEqual([
      { value: "erin", maskName: "*" },
      { value: "120", maskName: "NUM" },
    ]);
  });

  it("undefined for a message that does not fit; exactMatching decides whether a <NUM> must look like a number", () => {
    expect(d.extractParameters("user <*> logged in <NUM> minutes ago", "user carol logged out")).toBeUndefined();
    expect(d.extractParameters("value <NUM>", "value abc")).toBeUndefined();
    expect(d.extractParameters("value <NUM>", "value abc", { exactMatching: false })).toEqual([{ value: "abc", maskName: "NUM" }]);
  });

  it("masks inside one token, and masks with their own named groups and back-references", () => {
    expect(d.extractParameters("from <IP>:<NUM> port", "from 10.0.0.1:22 port")).toEqual([
      { value: "10.0.0.1", maskName: "IP" },
      { value: "22", maskName: "NUM" },
    ]);
    const kv = new Drain({ masks: [{ name: "KV", pattern: /(?<key>\w+)=(?<val>\w+)/g }, { name: "Q", pattern: /(["'])[^"']*\1/g }] });
    expect(kv.add("set a=1 and b=2 say 'hi'").template).toBe("set <KV> and <KV> say <Q>");
    expect(kv.extractParameters("set <KV> and <KV> say <Q>", "set a=1 and b=2 say 'hi'")).toEqual([
      { value: "a=1", maskName: "KV" },
      { value: "b=2", maskName: "KV" },
      { value: "'hi'", maskName: "Q" },
    ]);
  });

  it("applies extraDelimiters to the message first", () => {
    const e = new Drain({ extraDelimiters: ["_"] });
    expect(e.add("job_7_done").template).toBe("job <NUM> done");
    expect(e.extractParameters("job <NUM> done", "job_7_done")).toEqual([{ value: "7", maskName: "NUM" }]);
  });

  it("a template with many <*> and a hostile message does not backtrack catastrophically", () => {
    const tpl = Array(30).fill("<*>").join(" ") + " end";
    const hostile = Array(30).fill("x").join(" ") + " " + "y ".repeat(2000);
    expect(d.extractParameters(tpl, hostile)).toBeUndefined();
  });
});

describe("match (Drain3's match, similarity 1, full_search_strategy)", () => {
  it("finds the template a message fits exactly, without learning", () => {
    const d = new Drain();
    addAll(d, ["ping ok ok", "ping ok fail", "ping ok late", "pong up down"]);
    const before = JSON.stringify(d.toJSON());
    expect(d.match("ping ok whatever")).toEqual({ templateId: 1, template: "ping ok <*>" });
    expect(d.match("pong up down")?.templateId).toBe(2);
    expect(d.match("pong up left")).toBeUndefined();
    expect(d.match("lonely")).toBeUndefined();
    expect(JSON.stringify(d.toJSON())).toBe(before); // nothing learnt, no template touched
  });

  it("'never' misses a template on the wildcard branch when the token has its own child; 'fallback' and 'always' find it", () => {
    const d = new Drain({ maxChildren: 3 });
    // alpha, beta: own children; gamma creates the wildcard child; delta joins it: "<*> x y".
    addAll(d, ["alpha q r", "beta q r", "gamma x y", "delta x y"]);
    expect(templatesOf(d)).toEqual(["alpha q r", "beta q r", "<*> x y"]);
    expect(d.match("alpha x y")).toBeUndefined();
    expect(d.match("alpha x y", { fullSearchStrategy: "never" })).toBeUndefined();
    expect(d.match("alpha x y", { fullSearchStrategy: "fallback" })?.templateId).toBe(3);
    expect(d.match("alpha x y", { fullSearchStrategy: "always" })?.templateId).toBe(3);
    expect(d.match("beta q r", { fullSearchStrategy: "always" })?.templateId).toBe(2);
    expect(() => d.match("x", { fullSearchStrategy: "fallbak" as never })).toThrow(/did you mean 'fallback'/);
  });
});

describe("maxClusters (Drain3's LRU of templates)", () => {
  it("forgets the least recently used template; a message of a forgotten one starts a new template", () => {
    const d = new Drain({ maxClusters: 2, masks: false });
    const r = addAll(d, ["red car fast", "red car slow", "blue car fast", "blue car slow", "green car fast", "red car fast", "blue car slow"]);
    // After 4 messages: red (touched 2nd) is older than blue (touched 4th), so green evicts red; the next red
    // finds its leaf's template gone, creates #4 and evicts blue; the next blue creates #5 and evicts green.
    expect(r.map((x) => `${x.templateId}:${x.template}`)).toEqual([
      "1:red car fast", "1:red car <*>", "2:blue car fast", "2:blue car <*>", "3:green car fast", "4:red car fast", "5:blue car slow",
    ]);
    expect(r.map((x) => x.clusterCount)).toEqual([1, 1, 2, 2, 2, 2, 2]);
    expect(d.templates()).toEqual([{ id: 4, template: "red car fast", count: 1 }, { id: 5, template: "blue car slow", count: 1 }]);
    expect(() => d.templateText(1)).toThrow(/forgotten: maxClusters is reached/);
    // Adding #4 to the red leaf dropped the forgotten #1 from it, as Drain3 does.
    const red = d.toJSON().tree[0][1].children.find(([k]) => k === "red");
    expect(red?.[1].clusterIds).toEqual([4]);
  });
});

describe("options", () => {
  it("are validated with fix-it messages", () => {
    expect(() => new Drain({ depth: 2 })).toThrow(/depth.*≥ 3/);
    expect(() => new Drain({ maxClusters: 0 })).toThrow(/maxClusters/);
    expect(() => new Drain({ extraDelimiters: [""] })).toThrow(/extraDelimiters/);
    expect(() => new Drain({ masks: [{ name: "", pattern: /x/ }] })).toThrow(/masks\[0\]/);
    expect(() => new Drain({ maxChildern: 3 } as never)).toThrow(/did you mean `maxChildren`/);
    expect(() => new Drain({ parametrizeNumericTokens: "yes" as never })).toThrow(OptionError);
  });

  it("mineTemplates passes them through", () => {
    const m = mineTemplates(["user alice logged in", "user bob logged in"], { depth: 5 });
    expect(Array.from(m.templateIds)).toEqual([1, 2]);
  });
});
