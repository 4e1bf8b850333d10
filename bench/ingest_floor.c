/*
 * The C floor of bench/ingest.ts: failed passwords per source address per minute from an auth.log, on
 * T threads, as plainly and quickly as C does it here (mmap, byte ranges cut at line starts, one open-
 * addressing hash table per thread, merged). Compiled by the bench with the machine's `cc -O2` into a
 * temporary directory; never shipped as a binary.
 *
 *   ingest_floor FILE THREADS YEAR OUT.csv    -> OUT.csv "ip,minute,count" (ISO minutes), JSON on stdout
 *
 * Matches the lines of the pandas / DuckDB regex
 *   ^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ sshd\[\d+\]: Failed password for (?:invalid user )?.*? from (\S+) port \d+
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  uint64_t hash;
  uint32_t off; /* key offset in the arena */
  uint16_t len;
  uint32_t count;
} Slot;

typedef struct {
  Slot *slots;
  size_t cap, used;
  char *arena;
  size_t arenaLen, arenaCap;
  const char *from, *to;
} Table;

static uint64_t fnv(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h | 1;
}

static void grow(Table *t);

static void add(Table *t, const char *key, size_t n, uint64_t h, uint32_t by) {
  if ((t->used + 1) * 2 > t->cap) grow(t);
  size_t i = h & (t->cap - 1);
  for (;;) {
    Slot *s = &t->slots[i];
    if (s->hash == 0) {
      if (t->arenaLen + n > t->arenaCap) {
        t->arenaCap = (t->arenaCap + n) * 2;
        t->arena = realloc(t->arena, t->arenaCap);
      }
      memcpy(t->arena + t->arenaLen, key, n);
      s->hash = h;
      s->off = (uint32_t)t->arenaLen;
      s->len = (uint16_t)n;
      s->count = by;
      t->arenaLen += n;
      t->used++;
      return;
    }
    if (s->hash == h && s->len == n && memcmp(t->arena + s->off, key, n) == 0) {
      s->count += by;
      return;
    }
    i = (i + 1) & (t->cap - 1);
  }
}

static void grow(Table *t) {
  Slot *old = t->slots;
  size_t oldCap = t->cap;
  t->cap = oldCap ? oldCap * 2 : 1 << 16;
  t->slots = calloc(t->cap, sizeof(Slot));
  t->used = 0;
  for (size_t i = 0; i < oldCap; i++) {
    if (old[i].hash == 0) continue;
    size_t j = old[i].hash & (t->cap - 1);
    while (t->slots[j].hash != 0) j = (j + 1) & (t->cap - 1);
    t->slots[j] = old[i];
    t->used++;
  }
  free(old);
}

static int isDigit(char c) { return c >= '0' && c <= '9'; }

/* One line [p, e): key "ip\tMMM dd HH:MM" into the table when it is a failed password. */
static void line(Table *t, const char *p, const char *e) {
  if (e - p < 16 || p[3] != ' ' || p[6] != ' ' || p[9] != ':' || p[12] != ':' || p[15] != ' ') return;
  const char *q = p + 16;
  while (q < e && *q != ' ') q++; /* host */
  if (q == p + 16 || e - q < 7 || memcmp(q, " sshd[", 6) != 0) return;
  q += 6;
  const char *d = q;
  while (q < e && isDigit(*q)) q++;
  if (q == d || e - q < 3 || q[0] != ']' || q[1] != ':' || q[2] != ' ') return;
  q += 3;
  static const char FP[] = "Failed password for ";
  if ((size_t)(e - q) < sizeof FP - 1 || memcmp(q, FP, sizeof FP - 1) != 0) return;
  q += sizeof FP - 1;
  /* lazy ".*? from (\S+) port \d+": the first " from " followed by a token, " port " and a digit */
  for (const char *f = q; f + 6 <= e; f++) {
    if (memcmp(f, " from ", 6) != 0) continue;
    const char *ip = f + 6, *x = ip;
    while (x < e && *x != ' ' && *x != '\t') x++;
    if (x == ip || e - x < 7 || memcmp(x, " port ", 6) != 0 || !isDigit(x[6])) continue;
    char key[320];
    size_t n = (size_t)(x - ip);
    if (n > 300) return;
    memcpy(key, ip, n);
    key[n] = '\t';
    memcpy(key + n + 1, p, 12);
    add(t, key, n + 13, fnv(key, n + 13), 1);
    return;
  }
}

static void *work(void *arg) {
  Table *t = arg;
  const char *p = t->from;
  while (p < t->to) {
    const char *e = memchr(p, '\n', (size_t)(t->to - p));
    if (!e) e = t->to;
    line(t, p, e);
    p = e + 1;
  }
  return NULL;
}

static const char *MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s FILE THREADS YEAR OUT.csv\n", argv[0]);
    return 2;
  }
  int threads = atoi(argv[2]);
  int year = atoi(argv[3]);
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(argv[1]);
    return 1;
  }
  size_t size = (size_t)st.st_size;
  const char *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  madvise((void *)data, size, MADV_SEQUENTIAL);
  Table *ts = calloc((size_t)threads, sizeof(Table));
  pthread_t *th = calloc((size_t)threads, sizeof(pthread_t));
  const char *start = data;
  for (int k = 0; k < threads; k++) {
    const char *end = k == threads - 1 ? data + size : data + size * (size_t)(k + 1) / (size_t)threads;
    if (end < start) end = start;
    if (k < threads - 1) {
      const char *nl = memchr(end, '\n', (size_t)(data + size - end));
      end = nl ? nl + 1 : data + size;
    }
    ts[k].from = start;
    ts[k].to = end;
    start = end;
    pthread_create(&th[k], NULL, work, &ts[k]);
  }
  for (int k = 0; k < threads; k++) pthread_join(th[k], NULL);
  Table *all = &ts[0];
  for (int k = 1; k < threads; k++) {
    for (size_t i = 0; i < ts[k].cap; i++) {
      Slot *s = &ts[k].slots[i];
      if (s->hash) add(all, ts[k].arena + s->off, s->len, s->hash, s->count);
    }
  }
  FILE *out = fopen(argv[4], "w");
  setvbuf(out, NULL, _IOFBF, 1 << 20);
  fputs("ip,minute,count\n", out);
  uint64_t total = 0;
  for (size_t i = 0; i < all->cap; i++) {
    Slot *s = &all->slots[i];
    if (!s->hash) continue;
    const char *k = all->arena + s->off;
    int n = s->len - 13;
    const char *m = k + n + 1; /* "MMM dd HH:MM" */
    int month = (int)((strstr(MONTHS, (char[]){m[0], m[1], m[2], 0}) - MONTHS) / 3) + 1;
    int day = (m[4] == ' ' ? 0 : m[4] - '0') * 10 + (m[5] - '0');
    fprintf(out, "%.*s,%04d-%02d-%02dT%.2s:%.2s:00.000Z,%u\n", n, k, year, month, day, m + 7, m + 10, s->count);
    total += s->count;
  }
  fclose(out);
  printf("{\"groups\": %zu, \"total\": %llu}\n", all->used, (unsigned long long)total);
  return 0;
}
