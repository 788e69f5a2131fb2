#!/usr/bin/env bash
# Installs the Debian packages the tests, scenario scripts and benchmarks need: real netfilter,
# real OVS (userspace datapath), a real sshd, and Python's ovs.flow parser for the benchmark
# baseline. Idempotent: skips apt when everything is already there.
set -euo pipefail
pkgs=(iproute2 iptables ebtables ipset conntrack bridge-utils openvswitch-switch openssh-server
      openssh-client python3-openvswitch python3-netaddr python3-pyparsing kmod procps sudo
      ovn-central ovn-host)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "install-system-deps: need root to install: ${missing[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # ovn-central / ovn-host start OVN's NB/SB databases, ovn-northd and ovn-controller system-wide
  # when systemd runs (a container's policy-rc.d usually prevents it). The oracle starts private
  # ones (test/oracle/scenarios/008-ovn.sh): never leave the system's running or enabled.
  if [ -d /run/systemd/system ] && [[ " ${missing[*]} " == *" ovn-"* ]]; then
    systemctl disable --now ovn-central.service ovn-host.service ovn-northd.service \
      ovn-controller.service ovn-ovsdb-server-nb.service ovn-ovsdb-server-sb.service >/dev/null 2>&1 || true
  fi
fi
echo "install-system-deps: ok (${#pkgs[@]} packages present)"
