#!/usr/bin/env bash
# Installs what foobar needs from Debian 12 (and the browser test's npm packages).
# Non-interactive and idempotent: only missing packages are installed.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  libboost-dev libmariadb-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libfmt-dev
  libgtest-dev libgmock-dev
  # the stack the lab runs
  haproxy nginx mariadb-server mariadb-client dnsmasq-base keepalived
  # database failover: etcd for the sentinels, mariadb-backup for `foobar db rejoin`
  etcd-server etcd-client mariadb-backup
  # monitoring: Prometheus, Alertmanager, the exporters, and Graphviz for the site's diagram
  prometheus prometheus-alertmanager prometheus-node-exporter prometheus-mysqld-exporter
  prometheus-nginx-exporter prometheus-blackbox-exporter graphviz
  # security: the lab's sshd (admin access), the WAF (ModSecurity + OWASP CRS), TLS for our
  # HTTPS clients (chaos load), and the auditor's tools the security tests run
  openssh-server openssh-client libnginx-mod-http-modsecurity modsecurity-crs libssl-dev testssl.sh nmap
  # benchmarks (`make bench`): the database reference and profilers
  sysbench linux-perf valgrind gnuplot-nox
  # the lab itself and its tests
  iproute2 nftables procps curl ca-certificates openssl chromium wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from outside Debian's nodejs package; what matters is that it runs.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "make deps: installing ${missing[*]}"
  # Debian starts a daemon when its package is installed; the lab runs its own copies in
  # namespaces, so keep the packages from starting any on this machine.
  added_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    added_policy=1
  fi
  trap '[[ $added_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "make deps: all Debian packages present"
fi

# The browser journey test drives Debian's Chromium through playwright-core (no browser download).
browser_dir="$(dirname "$0")/../tests/browser"
if [[ ! -d "$browser_dir/node_modules/playwright-core" || "$browser_dir/package-lock.json" -nt "$browser_dir/node_modules" ]]; then
  npm ci --prefix "$browser_dir" --no-audit --no-fund --loglevel=error
  touch "$browser_dir/node_modules"
fi
