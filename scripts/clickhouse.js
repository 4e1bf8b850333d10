#!/usr/bin/env node
'use strict';
// Two throw-away ClickHouse servers on 127.0.0.1 for the engine tests, the notebook and the bench.
//
//   node scripts/clickhouse.js start [--dir DIR]   start two instances (two shards of cluster 'siemlab'),
//                                                  wait for /ping, print `export SIEMLAB_CLICKHOUSE_URL=…`
//                                                  lines (eval them), write DIR/pids
//   node scripts/clickhouse.js stop  [--dir DIR]   stop the instances whose PIDs DIR/pids lists (by PID only)
//
// Each instance gets its own config, ports (free ones, picked at start), data, tmp and log directories under
// DIR (default: a new temporary directory, printed as SIEMLAB_CLICKHOUSE_DIR). Both configs declare the same
// remote_servers cluster of two shards, so a Distributed table created on either instance spans both.
// Listens on 127.0.0.1 only; caches are kept small (mark cache 64 MB, uncompressed cache off) so that two
// instances fit beside everything else. Debian's 18.16 runs as root without complaint (checked: CI runs as
// root); it is started with the current user, whoever that is.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const { spawn } = require('node:child_process');

const SERVER = process.env.SIEMLAB_CLICKHOUSE_SERVER || '/usr/sbin/clickhouse-server';

function freePort() {
  return new Promise((ok, fail) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = srv.address().port;
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

function ping(port) {
  return new Promise((ok) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/ping', timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok(res.statusCode === 200 && body.trim() === 'Ok.'));
    });
    req.on('error', () => ok(false));
    req.on('timeout', () => {
      req.destroy();
      ok(false);
    });
  });
}

function configXml(dir, ports, all) {
  const shards = all
    .map((p) => `      <shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`)
    .join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/log/server.log</log>
    <errorlog>${dir}/log/server.err.log</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>32</max_concurrent_queries>
  <uncompressed_cache_size>0</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <siemlab>
${shards}
    </siemlab>
  </remote_servers>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <max_threads>2</max_threads>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
`;

async function start(dir, count, timeoutMs) {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} not found: install Debian's clickhouse-server (apt-get install clickhouse-server clickhouse-client)`);
  fs.mkdirSync(dir, { recursive: true });
  const ports = [];
  for (let i = 0; i < count; i++) ports.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  const pids = [];
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    const d = path.join(dir, `node${i + 1}`);
    for (const sub of ['data', 'tmp', 'log', 'user_files', 'format_schemas']) fs.mkdirSync(path.join(d, sub), { recursive: true });
    fs.writeFileSync(path.join(d, 'config.xml'), configXml(d, ports[i], ports));
    fs.writeFileSync(path.join(d, 'users.xml'), USERS_XML);
    const out = fs.openSync(path.join(d, 'log', 'stdout.log'), 'a');
    const child = spawn(SERVER, [`--config-file=${path.join(d, 'config.xml')}`], { cwd: d, detached: true, stdio: ['ignore', out, out] });
    child.unref();
    pids.push(child.pid);
  }
  fs.writeFileSync(path.join(dir, 'pids'), pids.join('\n') + '\n');
  for (let i = 0; i < count; i++) {
    for (;;) {
      if (await ping(ports[i].http)) break;
      if (Date.now() - t0 > timeoutMs) {
        stop(dir);
        const log = path.join(dir, `node${i + 1}`, 'log');
        throw new Error(`clickhouse-server node${i + 1} (http 127.0.0.1:${ports[i].http}) did not answer /ping within ${timeoutMs / 1000} s; see ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { ports, pids, seconds: (Date.now() - t0) / 1000 };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stop(dir) {
  const file = path.join(dir, 'pids');
  if (!fs.existsSync(file)) return [];
  const pids = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15000;
  while (pids.some(alive) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(file, { force: true });
  return pids;
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const at = rest.indexOf('--dir');
  let dir = at >= 0 ? path.resolve(rest[at + 1]) : undefined;
  if (cmd === 'start') {
    dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'siemlab-clickhouse-'));
    const { ports, pids, seconds } = await start(dir, 2, 60000);
    console.error(`clickhouse: 2 servers up in ${seconds.toFixed(1)} s (PIDs ${pids.join(', ')}; http ${ports.map((p) => p.http).join(', ')}; dir ${dir})`);
    console.log(`export SIEMLAB_CLICKHOUSE_DIR='${dir}'`);
    console.log(`export SIEMLAB_CLICKHOUSE_URL='http://127.0.0.1:${ports[0].http}'`);
    console.log(`export SIEMLAB_CLICKHOUSE_URL2='http://127.0.0.1:${ports[1].http}'`);
  } else if (cmd === 'stop') {
    dir = dir ?? process.env.SIEMLAB_CLICKHOUSE_DIR;
    if (!dir) throw new Error('stop needs --dir DIR (or SIEMLAB_CLICKHOUSE_DIR)');
    const pids = stop(dir);
    console.error(`clickhouse: stopped ${pids.length ? `PIDs ${pids.join(', ')}` : 'nothing (no pids file)'}`);
    if (at < 0 && process.env.SIEMLAB_CLICKHOUSE_DIR && /siemlab-clickhouse-/.test(dir)) fs.rmSync(dir, { recursive: true, force: true });
  } else {
    console.error('usage: node scripts/clickhouse.js start|stop [--dir DIR]');
    process.exit(2);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`clickhouse: ${e.message}`);
    process.exit(1);
  });
}

module.exports = { start, stop, ping };
