#!/usr/bin/env bash
# Installs the Debian packages the tests, scenario scripts and benchmarks need: real netfilter,
# real OVS (userspace datapath), a real sshd, and Python's ovs.flow parser for the benchmark
# baseline. Idempotent: skips apt when everything is already there.
set -euo pipefail
pkgs=(iproute2 iptables ebtables ipset conntrack bridge-utils openvswitch-switch openssh-server
      openssh-client python3-openvswitch python3-netaddr python3-pyparsing kmod procps)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "install-system-deps: need root to install: ${missing[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-system-deps: ok (${#pkgs[@]} packages present)"
