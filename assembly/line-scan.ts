// AssemblyScript source of the line scanner (src/ingest/line-scan.ts loads it; `npm run build:wasm` compiles it
// into src/ingest/line-scan-wasm.ts, and test/ingest/line-scan.test.ts checks that the two agree).
//
// scan() reads a piece of printable-ASCII RFC 3164 lines (bytes as JavaScript reads them: one byte, one UTF-16
// code unit, so the offsets below are also string offsets) and writes one record of REC i32 per line: where the
// header's fields are and, for the commonest sshd / PAM shapes, the classifier's answer. It decides nothing the
// JavaScript parser would decide differently: any line it is not sure of gets status 0 and is parsed in
// JavaScript as before (src/ingest/syslog-rfc3164.ts, parseScanned). Record fields (offsets from the line start):
//
//  0 status (1: header read, classic stamp; 2: RFC 3339 stamp)      1 line length (without a CR before the LF)
//  2 month letters a<<14|b<<7|c (status 2: the year)   3 month 0-11 (status 2: 1-12 as written)   4 day
//  5 hh<<14 | mm<<7 | ss
//  6, 7 host [start, end)         8, 9 process [start, end)    10 pid (-1: none)    11 message start
// 12 flags: 1 host, 2 process: the same bytes as the previous line's (a record with status 1 or 2 just before);
//    4 user, 8 source address: the same as the previous line's (both lines classified here)
// 13 kind (0: not classified here)  14, 15 user   16, 17 source address (start -1: none)   18 port (-1: none)
// 19 1 when the password line says "invalid user"
// 20 status 2: milliseconds    21 status 2: zone offset in minutes    22 status 2: 1 when the stamp has a zone
// 23 kind 12 (break-in attempt): the host name's start | end << 16

const REC: i32 = 24;

// kinds (kept in step with SCANNED_EVENT_TYPES, SCANNED_OUTCOMES and scannedFields in src/ingest/auth-events.ts)
const FAILED_PASSWORD: i32 = 1;
const ACCEPTED_PASSWORD: i32 = 2;
const INVALID_USER: i32 = 3;
const DISCONNECT_BYE: i32 = 4;
const CONNECTION_CLOSED: i32 = 5;
const CONNECTION_RESET: i32 = 6;
const PAM_AUTH_FAILURE: i32 = 7;
const SESSION_OPENED: i32 = 8;
const SESSION_CLOSED: i32 = 9;
const INVALID_USER_PREAUTH: i32 = 10;
const PAM_USER_UNKNOWN: i32 = 11;
const BREAK_IN_ATTEMPT: i32 = 12;

// Line being read: its first byte and length (globals: every helper reads them).
let B: usize = 0;
let N: i32 = 0;

@inline function ch(i: i32): i32 {
  return i < N ? <i32>load<u8>(B + <usize>i) : -1;
}

// Literal tests: the bytes at i are the literal's (read as 8, 4, 2 and 1-byte words). A scanned line holds
// printable ASCII only and ends with a control byte (LF, CR), so a literal that matches lies inside the line:
// no length test is needed, and the words read past a line's end stay within the piece and its 16-byte pad.
/** "Accepted password for " */
@inline function isAcceptedPasswordFor(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x6465747065636341 &&
    load<u64>(p + 8) == 0x726f777373617020 &&
    load<u32>(p + 16) == 0x6f662064 &&
    load<u16>(p + 20) == 0x2072;
}
const ACCEPTED_PASSWORD_FOR_LEN: i32 = 22;

/** "Failed password for " */
@inline function isFailedPasswordFor(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x702064656c696146 &&
    load<u64>(p + 8) == 0x2064726f77737361 &&
    load<u32>(p + 16) == 0x20726f66;
}
const FAILED_PASSWORD_FOR_LEN: i32 = 20;

/** " from " */
@inline function isFrom(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x6f726620 &&
    load<u16>(p + 4) == 0x206d;
}
const FROM_LEN: i32 = 6;

/** "invalid user " */
@inline function isInvalidUserLc(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x2064696c61766e69 &&
    load<u32>(p + 8) == 0x72657375 &&
    load<u8>(p + 12) == 0x20;
}
const INVALID_USER_LC_LEN: i32 = 13;

/** "illegal user " */
@inline function isIllegalUserLc(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x206c6167656c6c69 &&
    load<u32>(p + 8) == 0x72657375 &&
    load<u8>(p + 12) == 0x20;
}
const ILLEGAL_USER_LC_LEN: i32 = 13;

/** " port " */
@inline function isPort(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x726f7020 &&
    load<u16>(p + 4) == 0x2074;
}
const PORT_LEN: i32 = 6;

/** " ssh2" */
@inline function isSsh2(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x68737320 &&
    load<u8>(p + 4) == 0x32;
}
const SSH2_LEN: i32 = 5;

/** "Invalid user " */
@inline function isInvalidUser(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x2064696c61766e49 &&
    load<u32>(p + 8) == 0x72657375 &&
    load<u8>(p + 12) == 0x20;
}
const INVALID_USER_LEN: i32 = 13;

/** "Illegal user " */
@inline function isIllegalUser(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x206c6167656c6c49 &&
    load<u32>(p + 8) == 0x72657375 &&
    load<u8>(p + 12) == 0x20;
}
const ILLEGAL_USER_LEN: i32 = 13;

/** " [preauth]" */
@inline function isPreauth(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x7475616572705b20 &&
    load<u16>(p + 8) == 0x5d68;
}
const PREAUTH_LEN: i32 = 10;

/** "Received disconnect from " */
@inline function isReceivedDisconnectFrom(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x6465766965636552 &&
    load<u64>(p + 8) == 0x6e6e6f6373696420 &&
    load<u64>(p + 16) == 0x6d6f726620746365 &&
    load<u8>(p + 24) == 0x20;
}
const RECEIVED_DISCONNECT_FROM_LEN: i32 = 25;

/** ": 11: Bye Bye" */
@inline function isColon11ByeBye(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x7942203a3131203a &&
    load<u32>(p + 8) == 0x79422065 &&
    load<u8>(p + 12) == 0x65;
}
const COLON_11_BYE_BYE_LEN: i32 = 13;

/** "11: Bye Bye" */
@inline function isBye11(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x20657942203a3131 &&
    load<u16>(p + 8) == 0x7942 &&
    load<u8>(p + 10) == 0x65;
}
const BYE_11_LEN: i32 = 11;

/** "Connection closed by " */
@inline function isConnectionClosedBy(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x697463656e6e6f43 &&
    load<u64>(p + 8) == 0x65736f6c63206e6f &&
    load<u32>(p + 16) == 0x79622064 &&
    load<u8>(p + 20) == 0x20;
}
const CONNECTION_CLOSED_BY_LEN: i32 = 21;

/** "Connection reset by " */
@inline function isConnectionResetBy(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x697463656e6e6f43 &&
    load<u64>(p + 8) == 0x7465736572206e6f &&
    load<u32>(p + 16) == 0x20796220;
}
const CONNECTION_RESET_BY_LEN: i32 = 20;

/** "authenticating " */
@inline function isAuthenticating(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x69746e6568747561 &&
    load<u32>(p + 8) == 0x69746163 &&
    load<u16>(p + 12) == 0x676e &&
    load<u8>(p + 14) == 0x20;
}
const AUTHENTICATING_LEN: i32 = 15;

/** "invalid " */
@inline function isInvalidSp(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x2064696c61766e69;
}
const INVALID_SP_LEN: i32 = 8;

/** "user " */
@inline function isUserSp(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x72657375 &&
    load<u8>(p + 4) == 0x20;
}
const USER_SP_LEN: i32 = 5;

/** "(uid=" */
@inline function isUidOpen(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x64697528 &&
    load<u8>(p + 4) == 0x3d;
}
const UID_OPEN_LEN: i32 = 5;

/** "user=" */
@inline function isUserEq(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x72657375 &&
    load<u8>(p + 4) == 0x3d;
}
const USER_EQ_LEN: i32 = 5;

/** "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=" */
@inline function isPamFailure(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x78696e755f6d6170 &&
    load<u64>(p + 8) == 0x75613a6468737328 &&
    load<u64>(p + 16) == 0x747561203a296874 &&
    load<u64>(p + 24) == 0x74616369746e6568 &&
    load<u64>(p + 32) == 0x6c696166206e6f69 &&
    load<u64>(p + 40) == 0x676f6c203b657275 &&
    load<u64>(p + 48) == 0x6975203d656d616e &&
    load<u64>(p + 56) == 0x6469756520303d64 &&
    load<u64>(p + 64) == 0x733d79747420303d &&
    load<u64>(p + 72) == 0x7265737572206873 &&
    load<u64>(p + 80) == 0x3d74736f6872203d;
}
const PAM_FAILURE_LEN: i32 = 88;

/** "pam_unix(sshd:session): session opened for user " */
@inline function isPamOpened(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x78696e755f6d6170 &&
    load<u64>(p + 8) == 0x65733a6468737328 &&
    load<u64>(p + 16) == 0x203a296e6f697373 &&
    load<u64>(p + 24) == 0x206e6f6973736573 &&
    load<u64>(p + 32) == 0x662064656e65706f &&
    load<u64>(p + 40) == 0x207265737520726f;
}
const PAM_OPENED_LEN: i32 = 48;

/** "pam_unix(sshd:session): session closed for user " */
@inline function isPamClosed(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x78696e755f6d6170 &&
    load<u64>(p + 8) == 0x65733a6468737328 &&
    load<u64>(p + 16) == 0x203a296e6f697373 &&
    load<u64>(p + 24) == 0x206e6f6973736573 &&
    load<u64>(p + 32) == 0x66206465736f6c63 &&
    load<u64>(p + 40) == 0x207265737520726f;
}
const PAM_CLOSED_LEN: i32 = 48;

/** " by (uid=0)" */
@inline function isByUid0(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x6469752820796220 &&
    load<u16>(p + 8) == 0x303d &&
    load<u8>(p + 10) == 0x29;
}
const BY_UID_0_LEN: i32 = 11;

/** "last message repeated " */
@inline function isLastMessageRepeated(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x73656d207473616c &&
    load<u64>(p + 8) == 0x7065722065676173 &&
    load<u32>(p + 16) == 0x65746165 &&
    load<u16>(p + 20) == 0x2064;
}
const LAST_MESSAGE_REPEATED_LEN: i32 = 22;

/** "--- " */
@inline function isDashes(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x202d2d2d;
}
const DASHES_LEN: i32 = 4;

/** "sshd" */
@inline function isSshd(i: i32): bool {
  const p = B + <usize>i;
  return load<u32>(p) == 0x64687373;
}
const SSHD_LEN: i32 = 4;

/** "input_userauth_request: invalid user " */
@inline function isPreauthInvalidHead(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x73755f7475706e69 &&
    load<u64>(p + 8) == 0x725f687475617265 &&
    load<u64>(p + 16) == 0x203a747365757165 &&
    load<u64>(p + 24) == 0x2064696c61766e69 &&
    load<u32>(p + 32) == 0x72657375 &&
    load<u8>(p + 36) == 0x20;
}
const PREAUTH_INVALID_HEAD_LEN: i32 = 37;

/** "pam_unix(sshd:auth): check pass; user unknown" */
@inline function isCheckPassUnknown(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x78696e755f6d6170 &&
    load<u64>(p + 8) == 0x75613a6468737328 &&
    load<u64>(p + 16) == 0x656863203a296874 &&
    load<u64>(p + 24) == 0x3b73736170206b63 &&
    load<u64>(p + 32) == 0x6e75207265737520 &&
    load<u32>(p + 40) == 0x776f6e6b &&
    load<u8>(p + 44) == 0x6e;
}
const CHECK_PASS_UNKNOWN_LEN: i32 = 45;

/** "reverse mapping checking getaddrinfo for " */
@inline function isReverseMapping(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x2065737265766572 &&
    load<u64>(p + 8) == 0x20676e697070616d &&
    load<u64>(p + 16) == 0x676e696b63656863 &&
    load<u64>(p + 24) == 0x7264646174656720 &&
    load<u64>(p + 32) == 0x726f66206f666e69 &&
    load<u8>(p + 40) == 0x20;
}
const REVERSE_MAPPING_LEN: i32 = 41;

/** " [" */
@inline function isSpBracket(i: i32): bool {
  const p = B + <usize>i;
  return load<u16>(p) == 0x5b20;
}
const SP_BRACKET_LEN: i32 = 2;

/** "] failed" */
@inline function isBracketFailed(i: i32): bool {
  const p = B + <usize>i;
  return load<u64>(p) == 0x64656c696166205d;
}
const BRACKET_FAILED_LEN: i32 = 8;

@inline function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

/** First index >= i of byte c (printable) in the line, or -1: 16 bytes at a time (the line's end byte, a control byte, is never c). */
function find(i: i32, c: i32): i32 {
  const lim = B + <usize>N;
  const cv = i8x16.splat(<i8>c);
  let p = B + <usize>i;
  while (p < lim) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(p), cv));
    if (m != 0) {
      const k = p + <usize>ctz(m);
      return k < lim ? <i32>(k - B) : -1;
    }
    p += 16;
  }
  return -1;
}

/** First index >= i of " from ", or -1. */
function findFrom(i: i32): i32 {
  let k = find(i, 32);
  while (k >= 0) {
    if (isFrom(k)) return k;
    k = find(k + 1, 32);
  }
  return -1;
}

/** Whether the n bytes at a and at b are the same. */
@inline function same(a: usize, b: usize, n: i32): bool {
  if (n <= 8) {
    const mask: u64 = n == 8 ? <u64>-1 : (<u64>1 << (<u64>n << 3)) - 1;
    return ((load<u64>(a) ^ load<u64>(b)) & mask) == 0;
  }
  return memory.compare(a, b, <usize>n) == 0;
}

/** End of the run of bytes other than a space from i (all bytes of a scanned line are printable ASCII). */
function runEnd(i: i32): i32 {
  const k = find(i, 32);
  return k < 0 ? N : k;
}

function digitsEnd(i: i32): i32 {
  let k = i;
  while (k < N && isDigit(<i32>load<u8>(B + <usize>k))) k++;
  return k;
}

/** A port from the digits [from, to): -1 above 65535 (JavaScript's portAt gives undefined). */
function portAt(from: i32, to: i32): i32 {
  let n = 0;
  for (let k = from; k < to; k++) {
    n = n * 10 + (<i32>load<u8>(B + <usize>k) - 48);
    if (n > 65535) return -1;
  }
  return n;
}

/** 0-11 for the month letters at the line's start ("Jan" … "Dec", exact case), else -1. */
function monthAt(): i32 {
  switch (load<u32>(B) & 0xffffff) {
    case 0x6e614a: return 0; // Jan
    case 0x626546: return 1; // Feb
    case 0x72614d: return 2; // Mar
    case 0x727041: return 3; // Apr
    case 0x79614d: return 4; // May
    case 0x6e754a: return 5; // Jun
    case 0x6c754a: return 6; // Jul
    case 0x677541: return 7; // Aug
    case 0x706553: return 8; // Sep
    case 0x74634f: return 9; // Oct
    case 0x766f4e: return 10; // Nov
    case 0x636544: return 11; // Dec
  }
  return -1;
}

@inline function set(r: usize, f: i32, v: i32): void {
  store<i32>(r + (<usize>f << 2), v);
}

/** Source address / user / port of a classified line. */
function answer(r: usize, kind: i32, us: i32, ue: i32, is: i32, ie: i32, port: i32): i32 {
  set(r, 13, kind);
  set(r, 14, us);
  set(r, 15, ue);
  set(r, 16, is);
  set(r, 17, ie);
  set(r, 18, port);
  return kind;
}

/** `Failed|Accepted password for [invalid user ]U from IP port P[ ssh2]` (auth-events.ts failedAccepted). */
function password(r: usize, m: i32, ok: bool): i32 {
  if (!(ok ? isAcceptedPasswordFor(m) : isFailedPasswordFor(m))) return 0;
  let p = m + (ok ? 22 : 20);
  const from = findFrom(p);
  if (from < 0) return 0;
  const ipStart = from + 6;
  let invalid = 0;
  if (ch(p) == 105) {
    if (isInvalidUserLc(p)) {
      invalid = 1;
      p += 13;
    } else if (isIllegalUserLc(p)) return 0;
  }
  if (from < p) return 0;
  const sp = find(ipStart, 32);
  if (sp <= ipStart) return 0;
  if (!isPort(sp)) return 0;
  const d = digitsEnd(sp + 6);
  if (d == sp + 6 || d - (sp + 6) > 5) return 0;
  if (d != N && !(d + 5 == N && isSsh2(d))) return 0;
  const port = portAt(sp + 6, d);
  if (port < 0) return 0;
  set(r, 19, invalid);
  return answer(r, ok ? ACCEPTED_PASSWORD : FAILED_PASSWORD, p, from, ipStart, sp, port);
}

/** `Invalid|Illegal user U from IP[ port P]` (auth-events.ts invalidUserFast). */
function invalidUser(r: usize, m: i32): i32 {
  if (!isInvalidUser(m) && !isIllegalUser(m)) return 0;
  const from = findFrom(m + 13);
  if (from < 0) return 0;
  const ipStart = from + 6;
  const sp = find(ipStart, 32);
  if (sp < 0) {
    if (ipStart == N) return 0;
    return answer(r, INVALID_USER, m + 13, from, ipStart, N, -1);
  }
  if (sp == ipStart || !isPort(sp)) return 0;
  const q = digitsEnd(sp + 6);
  if (q == sp + 6 || q != N) return 0;
  return answer(r, INVALID_USER, m + 13, from, ipStart, sp, portAt(sp + 6, q));
}

/** Whether [i, N) is "" or " [preauth]". */
@inline function preauthEnd(i: i32): bool {
  return i == N || (i + 10 == N && isPreauth(i));
}

/** `Received disconnect from IP[ port P]: 11: Bye Bye[ [preauth]]` (auth-events.ts RECEIVED_BYE_Y / _PORT_Y). */
function disconnectBye(r: usize, m: i32): i32 {
  if (!isReceivedDisconnectFrom(m)) return 0;
  const a = m + 25;
  let k = a;
  while (k < N) {
    const c = <i32>load<u8>(B + <usize>k);
    if (c == 32 || c == 58) break;
    k++;
  }
  if (k == a || k == N) return 0;
  if (ch(k) == 58) {
    // RECEIVED_BYE_Y: ": 11: Bye Bye" right after the address
    if (!isColon11ByeBye(k) || !preauthEnd(k + 13)) return 0;
    return answer(r, DISCONNECT_BYE, -1, -1, a, k, -1);
  }
  // RECEIVED_BYE_PORT_Y: " port DIGITS:" then an optional space, "11: Bye Bye"
  if (!isPort(k)) return 0;
  const d = digitsEnd(k + 6);
  if (d == k + 6 || ch(d) != 58) return 0;
  let q = d + 1;
  if (ch(q) == 32) q++;
  if (!isBye11(q) || !preauthEnd(q + 11)) return 0;
  return answer(r, DISCONNECT_BYE, -1, -1, a, k, portAt(k + 6, d));
}

/** `Connection closed|reset by …` (auth-events.ts CONNECTION_Y, CONNECTION_USER_Y). */
function connection(r: usize, m: i32): i32 {
  let p: i32;
  let kind: i32;
  if (isConnectionClosedBy(m)) {
    p = m + 21;
    kind = CONNECTION_CLOSED;
  } else if (isConnectionResetBy(m)) {
    p = m + 20;
    kind = CONNECTION_RESET;
  } else return 0;
  const c = ch(p);
  if (c != 32 && c != 117 && c != 97 && c != 105 && c >= 0) {
    // CONNECTION_Y: ADDR (a run without spaces)[ port DIGITS][ [preauth]] to the end
    const e = runEnd(p);
    if (e == N) return answer(r, kind, -1, -1, p, e, -1);
    let q = e;
    let port = -1;
    if (isPort(q)) {
      const d = digitsEnd(q + 6);
      if (d > q + 6) {
        port = portAt(q + 6, d);
        q = d;
      }
    }
    if (!preauthEnd(q)) return 0;
    return answer(r, kind, -1, -1, p, e, port);
  }
  // CONNECTION_USER_Y: [authenticating |invalid ]user U ADDR port DIGITS[ [preauth]] to the end
  let u = p;
  if (isAuthenticating(u)) u += 15;
  else if (isInvalidSp(u)) u += 8;
  if (!isUserSp(u)) return 0;
  u += 5;
  const ue = runEnd(u);
  if (ue == u || ue == N) return 0;
  const ie = runEnd(ue + 1);
  if (ie == ue + 1 || !isPort(ie)) return 0;
  const d = digitsEnd(ie + 6);
  if (d == ie + 6 || !preauthEnd(d)) return 0;
  return answer(r, kind, u, ue, ue + 1, ie, portAt(ie + 6, d));
}

/** `input_userauth_request: invalid user U [preauth]` to the end (auth-events.ts PREAUTH_INVALID: U is all between). */
function preauthInvalid(r: usize, m: i32): i32 {
  if (!isPreauthInvalidHead(m)) return 0;
  const u = m + PREAUTH_INVALID_HEAD_LEN;
  if (N - 10 < u || !isPreauth(N - 10)) return 0;
  return answer(r, INVALID_USER_PREAUTH, u, N - 10, -1, -1, -1);
}

/**
 * `reverse mapping checking getaddrinfo for H [IP] failed…` (auth-events.ts BREAK_IN_REVERSE: H the run
 * without spaces, then " [", then a run ending in "]" followed by " failed"; IP is that run without its "]").
 */
function breakIn(r: usize, m: i32): i32 {
  if (!isReverseMapping(m)) return 0;
  const h = m + REVERSE_MAPPING_LEN;
  const he = runEnd(h);
  if (he == h || !isSpBracket(he)) return 0;
  const a = he + 2;
  const e = runEnd(a);
  if (e - a < 2 || !isBracketFailed(e - 1)) return 0;
  set(r, 23, h | (he << 16));
  return answer(r, BREAK_IN_ATTEMPT, -1, -1, a, e - 1, -1);
}

/** Where a trailing `(uid=DIGITS)` of [?, end) starts when at or after min, else end (auth-events.ts uidSuffixStart). */
function uidSuffixStart(min: i32, end: i32): i32 {
  if (ch(end - 1) != 41) return end;
  let d = end - 1;
  while (d > min && isDigit(ch(d - 1))) d--;
  const open = d - 5;
  if (d == end - 1 || open < min || !isUidOpen(open)) return end;
  return open;
}


/** pam_unix(sshd:…) failure and session lines (auth-events.ts pamFast, its first three shapes). */
function pam(r: usize, m: i32): i32 {
  if (isPamFailure(m)) {
    // H (no space, no "=") to a space or the end, then " user=U" or "  user=U" (U without spaces) to the end
    const h = m + PAM_FAILURE_LEN;
    let k = h;
    while (k < N) {
      const c = <i32>load<u8>(B + <usize>k);
      if (c == 32) break;
      if (c == 61) return 0;
      k++;
    }
    const is = k > h ? h : -1;
    if (k == N) return answer(r, PAM_AUTH_FAILURE, -1, -1, is, k, -1);
    let q = k + 1;
    if (ch(q) == 32) q++;
    if (!isUserEq(q)) return 0;
    const us = q + 5;
    if (us == N || runEnd(us) != N) return 0;
    return answer(r, PAM_AUTH_FAILURE, us, N, is, k, -1);
  }
  if (isPamOpened(m)) {
    // W (no spaces) " by (uid=0)" to the end
    const w = m + PAM_OPENED_LEN;
    const we = runEnd(w);
    if (we == w || we + 11 != N || !isByUid0(we)) return 0;
    return answer(r, SESSION_OPENED, w, uidSuffixStart(w + 1, we), -1, -1, -1);
  }
  if (isCheckPassUnknown(m)) return answer(r, PAM_USER_UNKNOWN, -1, -1, -1, -1, -1); // (any text after it)
  if (isPamClosed(m)) {
    const w = m + PAM_CLOSED_LEN;
    const we = runEnd(w);
    if (we == w) return 0;
    return answer(r, SESSION_CLOSED, w, we, -1, -1, -1);
  }
  return 0;
}

/** The record of the printable-ASCII line [base, base + n); `prev` the previous line's record and start (0: none). */
function line(base: usize, n: i32, r: usize, prev: usize, prevBase: usize): void {
  B = base;
  N = n;
  set(r, 0, 0);
  set(r, 1, n);
  if (isDigit(ch(0))) {
    iso(r, n, prev, prevBase);
    return;
  }
  // "MMM dd HH:MM:SS", "MMM  d HH:MM:SS" or "MMM d HH:MM:SS", then a space (a fraction: left to JavaScript)
  if (n < 16 || ch(3) != 32) return;
  const a = ch(0);
  const b = ch(1);
  const c = ch(2);
  const month = monthAt();
  if (month < 0) return;
  let q = 7;
  let d1: i32;
  let d2: i32;
  const e4 = ch(4);
  if (e4 == 32) {
    d1 = 0;
    d2 = ch(5) - 48;
    if (ch(6) != 32) return;
  } else if (ch(5) == 32) {
    d1 = 0;
    d2 = e4 - 48;
    q = 6;
  } else {
    d1 = e4 - 48;
    d2 = ch(5) - 48;
    if (ch(6) != 32) return;
  }
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return;
  const h1 = ch(q) - 48;
  const h2 = ch(q + 1) - 48;
  const m1 = ch(q + 3) - 48;
  const m2 = ch(q + 4) - 48;
  const s1 = ch(q + 6) - 48;
  const s2 = ch(q + 7) - 48;
  if (<u32>h1 > 9 || <u32>h2 > 9 || <u32>m1 > 9 || <u32>m2 > 9 || <u32>s1 > 9 || <u32>s2 > 9) return;
  if (ch(q + 2) != 58 || ch(q + 5) != 58 || ch(q + 8) != 32) return;
  if (!rest(r, q + 9, prev, prevBase)) return;
  set(r, 2, (a << 14) | (b << 7) | c);
  set(r, 3, month);
  set(r, 4, d1 * 10 + d2);
  set(r, 5, ((h1 * 10 + h2) << 14) | ((m1 * 10 + m2) << 7) | (s1 * 10 + s2));
  set(r, 0, 1);
}

/** 10^k for the digits of a fraction (k <= 9). */
function pow10(k: i32): f64 {
  let x: f64 = 1;
  for (let i = 0; i < k; i++) x *= 10;
  return x;
}

/** Two digits at i as a number, or -1. */
@inline function two(i: i32): i32 {
  const a = ch(i) - 48;
  const b = ch(i + 1) - 48;
  return <u32>a > 9 || <u32>b > 9 ? -1 : a * 10 + b;
}

/**
 * An RFC 3339 stamp as syslog-rfc3164.ts's ISO_STAMP reads it, `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH[:]MM] `
 * (status 2): year, month, day and clock as written (JavaScript checks them), milliseconds as JavaScript's
 * Math.round(+".fraction" * 1000) gives them (at most 9 digits: the digits over 10^k is the double +".digits"
 * reads, IEEE division being correctly rounded), the zone in minutes.
 */
function iso(r: usize, n: i32, prev: usize, prevBase: usize): void {
  if (n < 21) return;
  let y = 0;
  for (let k = 0; k < 4; k++) {
    const d = ch(k) - 48;
    if (<u32>d > 9) return;
    y = y * 10 + d;
  }
  const mo = two(5);
  const d = two(8);
  const hh = two(11);
  const mi = two(14);
  const se = two(17);
  const t = ch(10);
  if (ch(4) != 45 || ch(7) != 45 || (t != 84 && t != 32) || ch(13) != 58 || ch(16) != 58) return;
  if (mo < 0 || d < 0 || hh < 0 || mi < 0 || se < 0) return;
  let q = 19;
  let ms = 0;
  if (ch(q) == 46) {
    let k = q + 1;
    let v: i64 = 0;
    while (isDigit(ch(k)) && k - q <= 9) {
      v = v * 10 + <i64>(ch(k) - 48);
      k++;
    }
    if (k == q + 1 || isDigit(ch(k))) return; // no digit, or more than 9: left to JavaScript
    const x = (<f64>v / pow10(k - q - 1)) * 1000;
    let m = Math.floor(x);
    if (x - m >= 0.5) m += 1;
    ms = <i32>m;
    q = k;
  }
  let zone = 0;
  let hasZone = 0;
  const z = ch(q);
  if (z == 90) {
    hasZone = 1;
    q++;
  } else if (z == 43 || z == 45) {
    const zh = two(q + 1);
    const colon = ch(q + 3) == 58 ? 1 : 0;
    const zm = two(q + 3 + colon);
    if (zh < 0 || zm < 0) return;
    zone = (z == 45 ? -1 : 1) * (zh * 60 + zm);
    hasZone = 1;
    q += 5 + colon;
  }
  if (ch(q) != 32) return;
  if (!rest(r, q + 1, prev, prevBase)) return;
  set(r, 2, y);
  set(r, 3, mo);
  set(r, 4, d);
  set(r, 5, (hh << 14) | (mi << 7) | se);
  set(r, 20, ms);
  set(r, 21, zone);
  set(r, 22, hasZone);
  set(r, 0, 2);
}

/**
 * The fields after the stamp, from `p` (the host's start): host, tag, pid, message and the classification.
 * False (status stays 0) when JavaScript must read the line.
 */
function rest(r: usize, p: i32, prev: usize, prevBase: usize): bool {
  const n = N;
  const base = B;
  // HOSTNAME: the word after the stamp, unless it is already a tag ("sshd[1]:") or a sysklogd fold
  const hostEnd = find(p, 32);
  if (hostEnd <= p || ch(hostEnd - 1) == 58) return false;
  if (isLastMessageRepeated(p) || isDashes(p)) return false;
  const tagStart = hostEnd + 1;
  const colon = find(tagStart, 58);
  if (colon < 0 || colon - tagStart >= 64 || (colon + 1 != n && ch(colon + 1) != 32)) return false;
  let procEnd = colon;
  let pid = -1;
  const t0 = ch(tagStart);
  if (ch(colon - 1) == 93 && t0 > 32) {
    // name[digits]: read back from the colon (syslog-rfc3164.ts, its fast path)
    let k = colon - 2;
    let v = 0;
    let scale = 1;
    while (k > tagStart && isDigit(ch(k))) {
      v += (ch(k) - 48) * scale;
      scale *= 10;
      k--;
    }
    const digits = colon - k - 2;
    if (!(k > tagStart && ch(k) == 91 && digits >= 1 && digits <= 9)) return false;
    procEnd = k;
    pid = v;
  } else if (colon == tagStart || t0 == 32 || ch(colon - 1) == 32) return false;
  const msg = colon + 1 == n ? n : colon + 2;
  const m0 = ch(msg);
  if (m0 == 109 || m0 == 108 || m0 == 45) return false; // "message repeated", "last message repeated", "--- last …"

  set(r, 6, p);
  set(r, 7, hostEnd);
  set(r, 8, tagStart);
  set(r, 9, procEnd);
  set(r, 10, pid);
  set(r, 11, msg);
  let flags = 0;
  if (prev != 0 && load<i32>(prev) != 0) {
    const ps = load<i32>(prev + 24);
    const pe = load<i32>(prev + 28);
    if (pe - ps == hostEnd - p && same(prevBase + <usize>ps, base + <usize>p, hostEnd - p)) flags |= 1;
    const qs = load<i32>(prev + 32);
    const qe = load<i32>(prev + 36);
    if (qe - qs == procEnd - tagStart && same(prevBase + <usize>qs, base + <usize>tagStart, procEnd - tagStart)) flags |= 2;
  }
  set(r, 13, 0);
  set(r, 19, 0);
  let kind = 0;
  if (m0 == 112) kind = pam(r, msg);
  else if (isSshd(tagStart) && (procEnd - tagStart == 4 || ch(tagStart + 4) != 40)) {
    // sshd's own messages (auth-events.ts isSshd: the process starts with "sshd", not "sshd(")
    if (m0 == 70) kind = password(r, msg, false);
    else if (m0 == 65) kind = password(r, msg, true);
    else if (m0 == 73) kind = invalidUser(r, msg);
    else if (m0 == 82) kind = disconnectBye(r, msg);
    else if (m0 == 67) kind = connection(r, msg);
    else if (m0 == 105) kind = preauthInvalid(r, msg);
    else if (m0 == 114) kind = breakIn(r, msg);
  }
  // The same user (4) and source address (8) bytes as the previous line's, when both were classified here (a
  // PAM failure and sshd's Failed password line of one attempt, a burst from one address).
  if (kind != 0 && prev != 0 && load<i32>(prev) != 0 && load<i32>(prev + 52) != 0) {
    if (sameField(r, prev, base, prevBase, 14)) flags |= 4;
    if (sameField(r, prev, base, prevBase, 16)) flags |= 8;
  }
  set(r, 12, flags);
  return true;
}

/** Whether field pair [f, f + 1) of records r and prev (lines at base and prevBase) are present and the same bytes. */
function sameField(r: usize, prev: usize, base: usize, prevBase: usize, f: i32): bool {
  const a = load<i32>(r + (<usize>f << 2));
  const b = load<i32>(prev + (<usize>f << 2));
  if (a < 0 || b < 0) return false;
  const n = load<i32>(r + (<usize>(f + 1) << 2)) - a;
  return load<i32>(prev + (<usize>(f + 1) << 2)) - b == n && same(prevBase + <usize>b, base + <usize>a, n);
}

/**
 * Scan the lines of [input, input + len) (every line ends with the byte `eol`, 10 or 13; LF lines may end with
 * CR LF) into records of REC i32 at `out`. Returns the number of lines. Lines are cut 16 bytes at a time
 * (SIMD): the first byte that is not printable ASCII ends a clean line when it is the line end; any other
 * makes the line's record status 0 (read in JavaScript) and the line end is looked for on.
 */
export function scan(input: usize, len: i32, out: usize, eol: i32): i32 {
  const end = input + <usize>len;
  const lo = i8x16.splat(32);
  const hi = i8x16.splat(126);
  const ends = i8x16.splat(<i8>eol);
  let s = input;
  let count: i32 = 0;
  let prev: usize = 0;
  let prevBase: usize = 0;
  while (s < end) {
    const r = out + <usize>(count * REC * 4);
    let p = s;
    let clean = true;
    let e: usize = 0;
    // up to the first byte outside 32..126 (the line end of a clean line)
    for (;;) {
      const v = v128.load(p);
      const bad = i8x16.bitmask(v128.or(i8x16.lt_u(v, lo), i8x16.gt_u(v, hi)));
      if (bad != 0) {
        e = p + <usize>ctz(bad);
        break;
      }
      p += 16;
    }
    let n = <i32>(e - s);
    const c = <i32>load<u8>(e);
    if (c == eol) {
      // (a clean line)
    } else if (c == 13 && eol == 10 && <i32>load<u8>(e + 1) == 10) {
      e++; // CR LF: the line is the bytes before the CR
    } else {
      clean = false;
      // the line end, 16 bytes at a time from the byte that is not printable
      p = e;
      for (;;) {
        const m = i8x16.bitmask(i8x16.eq(v128.load(p), ends));
        if (m != 0) {
          e = p + <usize>ctz(m);
          break;
        }
        p += 16;
      }
      n = <i32>(e - s);
      if (eol == 10 && n > 0 && <i32>load<u8>(e - 1) == 13) n--;
    }
    if (clean) line(s, n, r, prev, prevBase);
    else {
      set(r, 0, 0);
      set(r, 1, n);
    }
    prev = r;
    prevBase = s;
    count++;
    s = e + 1;
  }
  return count;
}

/** Where the caller may write its input (the first byte after the scanner's own data). */
export function heapBase(): usize {
  return __heap_base;
}
