// The foobar dashboard's script: reads Prometheus's HTTP API on the same origin every 5 s and
// fills the page: the diagram's colours, the site's numbers and charts, each server's services,
// the VIPs' holders, the databases' roles and lag, the firing alerts. No library: the charts are
// a few lines of SVG.
'use strict';

const REFRESH_MS = 5000;
const CHART_MINUTES = 15;
const SVG_NS = 'http://www.w3.org/2000/svg';

let topology = null;

// ---- Prometheus ----------------------------------------------------------------------------

async function query(promql) {
  const response = await fetch('/api/v1/query?query=' + encodeURIComponent(promql));
  const body = await response.json();
  if (body.status !== 'success') throw new Error(promql + ': ' + (body.error || response.status));
  return body.data.result;
}

async function queryRange(promql, minutes, stepSeconds) {
  const end = Date.now() / 1000;
  const start = end - minutes * 60;
  const url = '/api/v1/query_range?query=' + encodeURIComponent(promql) +
      '&start=' + start.toFixed(0) + '&end=' + end.toFixed(0) + '&step=' + stepSeconds;
  const body = await (await fetch(url)).json();
  if (body.status !== 'success') throw new Error(promql + ': ' + body.error);
  return body.data.result;
}

const value = (sample) => Number(sample.value[1]);

// The samples of a result keyed by one label.
function byLabel(result, label) {
  const out = {};
  for (const s of result) out[s.metric[label] || ''] = s;
  return out;
}

// ---- formatting ----------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function chip(text, state) { return el('span', { class: 'chip ' + state }, text); }

function formatRate(x) {
  if (!isFinite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function formatRatio(x) {
  if (!isFinite(x)) return '–';
  return (x * 100).toFixed(x < 0.01 ? 2 : 1) + ' %';
}

function formatSeconds(x) {
  if (!isFinite(x)) return '–';
  return x < 1 ? (x * 1000).toFixed(x < 0.01 ? 1 : 0) + ' ms' : x.toFixed(2) + ' s';
}

function formatAge(seconds) {
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function fillTable(id, rows) {
  const body = document.querySelector('#' + id + ' tbody');
  body.replaceChildren(...rows);
}

// ---- charts --------------------------------------------------------------------------------

// One or more series as lines in a 300x70 box, the largest value written at the top.
function drawChart(id, series, format) {
  const svg = document.getElementById(id);
  const width = 300, height = 70, top = 10;
  const end = Date.now() / 1000, start = end - CHART_MINUTES * 60;
  let max = 0;
  for (const s of series) for (const [, v] of s.values) if (isFinite(Number(v))) max = Math.max(max, Number(v));
  const flat = max === 0;
  if (flat) max = 1;  // a flat line at the bottom
  const nodes = [];
  series.forEach((s, index) => {
    const points = s.values.filter(([, v]) => isFinite(Number(v))).map(([t, v]) => {
      const x = ((t - start) / (end - start)) * width;
      const y = height - (Number(v) / max) * (height - top);
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    if (points.length === 0) return;
    const line = document.createElementNS(SVG_NS, 'polyline');
    line.setAttribute('points', points.join(' '));
    line.setAttribute('class', 'line ' + (s.className || ''));
    if (index === series.length - 1 && series.length === 1) {
      const area = document.createElementNS(SVG_NS, 'polygon');
      const first = points[0].split(',')[0], last = points[points.length - 1].split(',')[0];
      area.setAttribute('points', first + ',' + height + ' ' + points.join(' ') + ' ' + last + ',' + height);
      area.setAttribute('class', 'area');
      nodes.push(area);
    }
    nodes.push(line);
  });
  const label = document.createElementNS(SVG_NS, 'text');
  label.setAttribute('x', '2');
  label.setAttribute('y', '9');
  label.setAttribute('class', 'axis');
  label.textContent = (flat ? 'all 0' : 'max ' + format(max)) + ' · last ' + CHART_MINUTES + ' min';
  nodes.push(label);
  svg.replaceChildren(...nodes);
}

// ---- the page's parts ----------------------------------------------------------------------

function setHealth(id, state) {
  const g = document.getElementById(id);
  if (!g) return;
  g.classList.remove('health-ok', 'health-down', 'health-unknown');
  g.classList.add('health-' + state);
}

const stateOf = (sample) => (sample === undefined ? 'unknown' : value(sample) >= 1 ? 'ok' : 'down');

function paintDiagram(d) {
  for (const host of topology.hosts) setHealth(host.box, stateOf(d.health[host.name]));
  // The user's box: the site as the outside-in probe gets it.
  const probes = d.probes.filter((s) => s.metric.job === 'blackbox_site');
  if (probes.length) setHealth('host-' + probes[0].metric.host, probes.every((s) => value(s) >= 1) ? 'ok' : 'down');
  const addressProbes = byLabel(d.probes.filter((s) => s.metric.job === 'blackbox_site_addresses'), 'site_address');
  for (const vip of topology.vips) {
    // A VIP is well when it answers and exactly one load balancer holds it.
    const held = d.holders[vip.address].length;
    setHealth(vip.name, held !== 1 ? 'down' : stateOf(addressProbes[vip.address]));
    for (const lb of topology.load_balancers) {
      const edge = document.getElementById('edge-' + vip.name + '-' + lb);
      if (edge) edge.classList.toggle('holder', d.holders[vip.address].includes(lb));
    }
  }
}

function renderTiles(d) {
  document.getElementById('tile-rps').textContent = d.rps.length ? formatRate(value(d.rps[0])) : '–';
  document.getElementById('tile-errors').textContent = d.errors.length ? formatRatio(value(d.errors[0])) : '–';
  const q = byLabel(d.latency, 'quantile');
  const source = document.getElementById('latency-source');
  if (q['0.99']) {
    source.textContent = 'p50 / p90 / p99 (app, 1 m)';
    document.getElementById('tile-latency').textContent =
        ['0.5', '0.9', '0.99'].map((k) => (q[k] ? formatSeconds(value(q[k])) : '–')).join(' / ');
  } else {
    // Until the app serves its histogram, HAProxy's running average of the app servers' time.
    source.textContent = 'average (load balancers; percentiles once the app exports them)';
    document.getElementById('tile-latency').textContent = d.lbLatency.length ? formatSeconds(value(d.lbLatency[0])) : '–';
  }
  const site = d.probes.filter((s) => s.metric.job === 'blackbox_site');
  const ok = site.filter((s) => value(s) >= 1).length;
  const probe = document.getElementById('tile-probe');
  probe.textContent = site.length ? (ok === site.length ? 'up' : 'DOWN') + ' (' + ok + '/' + site.length + ')' : '–';
  probe.className = 'value ' + (site.length ? (ok === site.length ? '' : 'down') : '');
  const durations = byLabel(d.probeDurations, 'instance');
  document.getElementById('probe-detail').replaceChildren(...site.map((s) => el('div', {},
      (value(s) >= 1 ? '✓ ' : '✗ ') + s.metric.instance + '  ' +
      (durations[s.metric.instance] ? formatSeconds(value(durations[s.metric.instance])) : ''))));
}

// What a person calls each health signal (foobar:host_signal in the rule file): a scrape says
// the exporter (or the daemon serving its own metrics) answers, the others are the daemon's own.
const SIGNAL_NAMES = {
  'scrape:node': 'node_exporter', 'scrape:haproxy': 'haproxy', 'scrape:nginx': 'nginx_exporter',
  'scrape:mysqld': 'mysqld_exporter', 'scrape:prometheus': 'prometheus', 'scrape:alertmanager': 'alertmanager',
  'scrape:blackbox_site': 'probe: site', 'scrape:blackbox_site_addresses': 'probe: addresses',
  'scrape:blackbox_dns': 'probe: dns', nginx: 'nginx', mariadb: 'mariadb', lb_health_check: 'LB health check',
  replica_io: 'replica IO', replica_sql: 'replica SQL', keepalived: 'keepalived',
};

function renderHosts(d) {
  const rows = [];
  for (const host of topology.hosts) {
    // One chip per signal name, the worst of its series (a probe job has one per target).
    const worst = new Map();
    for (const s of d.signals.filter((x) => x.metric.host === host.name)) {
      const name = SIGNAL_NAMES[s.metric.signal] || s.metric.signal;
      worst.set(name, Math.min(worst.has(name) ? worst.get(name) : 1, value(s)));
    }
    const names = [...worst.keys()].sort();
    const addresses = Object.entries(host.addresses).map(([net, a]) => net + ' ' + a).join(', ');
    rows.push(el('tr', {},
        el('td', {}, chip(host.name, stateOf(d.health[host.name]))),
        el('td', { class: 'small muted' }, addresses),
        el('td', {}, ...names.map((n) => chip(n, worst.get(n) >= 1 ? 'ok' : 'down')))));
  }
  fillTable('hosts', rows);
}

function renderVips(d) {
  const addressProbes = byLabel(d.probes.filter((s) => s.metric.job === 'blackbox_site_addresses'), 'site_address');
  const rows = topology.vips.map((vip) => {
    const holders = d.holders[vip.address];
    const state = holders.length === 1 ? 'ok' : 'down';
    return el('tr', {}, el('td', {}, vip.name), el('td', {}, vip.address),
        el('td', {}, chip(holders.length ? holders.join(' + ') : 'nobody', state),
            holders.length === 1 && holders[0] !== vip.master ? el('span', { class: 'muted small' }, ' (master ' + vip.master + ')') : ''),
        el('td', {}, chip(stateOf(addressProbes[vip.address]) === 'ok' ? 'yes' : 'no', stateOf(addressProbes[vip.address]))));
  });
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: '4', class: 'muted' }, 'no VIPs in this topology')));
  fillTable('vips', rows);
}

function renderDatabases(d) {
  const readOnly = byLabel(d.readOnly, 'host'), up = byLabel(d.mysqlUp, 'host');
  const io = byLabel(d.replicaIo, 'host'), sql = byLabel(d.replicaSql, 'host'), lag = byLabel(d.lag, 'host');
  const rows = topology.databases.map((name) => {
    let role = chip('unknown', 'unknown');
    if (up[name] && value(up[name]) < 1) role = chip('down', 'down');
    else if (readOnly[name]) role = value(readOnly[name]) === 0 ? chip('primary (writable)', 'ok') : chip('replica', 'ok');
    let replication = el('span', { class: 'muted' }, '–');
    if (io[name] || sql[name]) {
      const running = io[name] && sql[name] && value(io[name]) >= 1 && value(sql[name]) >= 1;
      replication = chip(running ? 'IO + SQL running' : 'broken', running ? 'ok' : 'down');
    } else if (readOnly[name] && value(readOnly[name]) === 1) {
      replication = chip('not replicating', 'down');
    }
    const lagText = lag[name] ? value(lag[name]).toFixed(0) + ' s' : '–';
    return el('tr', {}, el('td', {}, name), el('td', {}, role), el('td', {}, replication), el('td', { class: 'num' }, lagText));
  });
  fillTable('databases', rows);
}

// Prometheus's firing alerts (/api/v1/alerts: labels, the summary as expanded for each, activeAt).
function renderAlerts(d) {
  const now = Date.now() / 1000;
  const rank = { critical: 0, warning: 1 };
  const alerts = d.alerts.filter((a) => a.state === 'firing')
      .sort((a, b) => (rank[a.labels.severity] ?? 2) - (rank[b.labels.severity] ?? 2));
  const rows = alerts.map((a) => {
    const where = Object.entries(a.labels).filter(([k]) => !['alertname', 'severity', 'job', 'topology'].includes(k))
        .sort().map(([k, v]) => k + '=' + v).join(' ');
    const since = Date.parse(a.activeAt) / 1000;
    return el('tr', {}, el('td', {}, chip(a.labels.severity || '', a.labels.severity === 'critical' ? 'down' : 'warn')),
        el('td', {}, a.labels.alertname), el('td', { class: 'small' }, where),
        el('td', { class: 'num' }, isFinite(since) ? formatAge(now - since) : ''),
        el('td', { class: 'small' }, (a.annotations && a.annotations.summary) || ''));
  });
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'none')));
  fillTable('alerts', rows);
  document.getElementById('alert-count').textContent = '(' + alerts.length + ')';
  const overall = document.getElementById('overall');
  const critical = alerts.filter((a) => a.labels.severity === 'critical').length;
  overall.className = 'pill ' + (critical ? 'down' : alerts.length ? 'warn' : 'ok');
  overall.textContent = critical ? critical + ' critical alert' + (critical > 1 ? 's' : '') :
      alerts.length ? alerts.length + ' warning' + (alerts.length > 1 ? 's' : '') : 'all good';
}

async function loadAlerts() {
  const body = await (await fetch('/api/v1/alerts')).json();
  if (body.status !== 'success') throw new Error('/api/v1/alerts: ' + body.error);
  return body.data.alerts;
}

// ---- the loop ------------------------------------------------------------------------------

async function refresh() {
  const [signals, health, rps, errors, latency, lbLatency, probes, probeDurations, vrrp, readOnly, mysqlUp,
    replicaIo, replicaSql, lag, alerts] = await Promise.all([
    query('foobar:host_signal'),
    query('foobar:host_health'),
    query('foobar:site_requests:rate1m'),
    query('foobar:site_errors:ratio_rate1m'),
    query('foobar:site_latency_seconds:rate1m'),
    query('avg(haproxy_backend_total_time_average_seconds{proxy="app_servers"})'),
    query('probe_success'),
    query('probe_duration_seconds{job="blackbox_site"}'),
    query('foobar_vrrp_state{state="MASTER"} == 1'),
    query('mysql_global_variables_read_only'),
    query('mysql_up'),
    query('min by (host) (mysql_slave_status_slave_io_running)'),
    query('min by (host) (mysql_slave_status_slave_sql_running)'),
    query('max by (host) (mysql_slave_status_seconds_behind_master)'),
    loadAlerts(),
  ]);
  const holders = {};
  for (const vip of topology.vips) holders[vip.address] = [];
  for (const s of vrrp) if (holders[s.metric.vip]) holders[s.metric.vip].push(s.metric.host);
  const healthByHost = byLabel(health, 'host');
  const d = { signals, health: healthByHost, rps, errors, latency, lbLatency, probes, probeDurations, holders,
    readOnly, mysqlUp, replicaIo, replicaSql, lag, alerts };
  paintDiagram(d);
  renderTiles(d);
  renderHosts(d);
  renderVips(d);
  renderDatabases(d);
  renderAlerts(d);
}

async function refreshCharts() {
  const step = 15;
  const [rps, errors, p99, lbLatency] = await Promise.all([
    queryRange('foobar:site_requests:rate1m', CHART_MINUTES, step),
    queryRange('foobar:site_errors:ratio_rate1m', CHART_MINUTES, step),
    queryRange('foobar:site_latency_seconds:rate1m', CHART_MINUTES, step),
    queryRange('avg(haproxy_backend_total_time_average_seconds{proxy="app_servers"})', CHART_MINUTES, step),
  ]);
  drawChart('chart-rps', rps, formatRate);
  drawChart('chart-errors', errors, formatRatio);
  if (p99.length) {
    const classes = { '0.5': 'p50', '0.9': 'p90', '0.99': 'p99' };
    drawChart('chart-latency', p99.map((s) => ({ values: s.values, className: classes[s.metric.quantile] })), formatSeconds);
  } else {
    drawChart('chart-latency', lbLatency, formatSeconds);
  }
}

async function tick() {
  const updated = document.getElementById('updated');
  try {
    await Promise.all([refresh(), refreshCharts()]);
    updated.textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.live = '1';
  } catch (e) {
    updated.textContent = 'Prometheus did not answer: ' + e.message;
  }
}

async function start() {
  topology = await (await fetch('topology.json')).json();
  document.getElementById('site').textContent = topology.site.name + ' — ' + topology.topology;
  document.title = topology.site.name + ' dashboard';
  const monitor = topology.hosts.find((h) => h.services.includes('prometheus'));
  if (monitor) document.getElementById('prom-host').textContent = monitor.name;
  const svg = await (await fetch('diagram.svg')).text();
  document.getElementById('diagram').innerHTML = svg.slice(svg.indexOf('<svg'));
  await tick();
  setInterval(tick, REFRESH_MS);
}

start();
