#!/usr/bin/env python3
"""Sends probe frames into a namespaced Linux bridge host one at a time and reports, per frame,
which netfilter rule counters moved and which guests received it. Used by
test/core/sim/iptablesDifferential.test.ts; Python 3 standard library only.

Run inside the host namespace (`ip netns exec HOST python3 netfilterProbeDriver.py`), with a JSON
job on stdin:
  {"endpoints": {"tapX": {"netns": "osnet-ipd-1-vma", "iface": "eth0"}, ...},
   "probes": [{"id": 0, "from": "tapX", "flow": "tcp,dl_src=...", "marker": "p0"}, ...],
   "save": ["iptables-save", "-c"], "flush": ["conntrack", "-F"]}
Each endpoint is a guest interface, named by the host-side device it is cabled to. A probe's
frame is built from its flow (test/oracle/lib/pkt.py syntax; plus icmp6 neighbour discovery
here; an ICMP error quoting the frame of `embed` when given) and written with an AF_PACKET socket
on the sender's guest interface, after `flush` (conntrack -F) unless the probe says
`keepConntrack` (a reply to the previous probe). Then `save` runs in
the host namespace and its `[packets:bytes]` counters are compared with the previous run.
Output, one JSON object per line:
  {"id": 0, "deltas": {"filter|FORWARD|3": 1, "filter|FORWARD|policy": 1}, "received": ["tapY"]}
A frame counts as received by an endpoint when the same bytes arrive on its interface.
"""
import ctypes
import json
import os
import select
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'oracle', 'lib'))
import pkt  # noqa: E402  (test/oracle/lib/pkt.py)

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def in_netns(name, fn):
    """Runs fn() with this thread in namespace NAME; sockets made there stay there."""
    home = os.open('/proc/self/ns/net', os.O_RDONLY)
    target = os.open(f'/run/netns/{name}', os.O_RDONLY)
    try:
        setns(target)
        return fn()
    finally:
        setns(home)
        os.close(home)
        os.close(target)


def ip6(text):
    return socket.inet_pton(socket.AF_INET6, text)


def build_icmp6(f, marker):
    """icmp6 with icmpv6_type/icmpv6_code, nd_target for neighbour solicitation/advertisement."""
    src, dst = ip6(f['ipv6_src']), ip6(f['ipv6_dst'])
    t, code = int(f.get('icmpv6_type', '128'), 0), int(f.get('icmpv6_code', '0'), 0)
    if t in (135, 136):
        flags = 0x60000000 if t == 136 else 0
        body = struct.pack('!I', flags) + ip6(f['nd_target'])
    else:
        body = struct.pack('!HH', 0x1234, 1) + marker.encode()
    l4 = struct.pack('!BBH', t, code, 0) + body
    pseudo = src + dst + struct.pack('!I3xB', len(l4), 58)
    l4 = l4[:2] + struct.pack('!H', pkt.csum(pseudo + l4)) + l4[4:]
    hdr = struct.pack('!IHBB', 0x60000000, len(l4), 58, int(f.get('nw_ttl', '255'), 0)) + src + dst
    eth = pkt.mac(f['dl_dst']) + pkt.mac(f['dl_src']) + struct.pack('!H', 0x86dd)
    return (eth + hdr + l4).ljust(60, b'\0')


def build_icmp_error(flow, embed, marker):
    """An ICMP error (flow: icmp,icmp_type=3,...) quoting the IP header + 8 bytes of EMBED's frame."""
    original = pkt.build(pkt.parse_flow(embed), marker)[14:]
    ihl = (original[0] & 0x0f) * 4
    f = pkt.parse_flow(flow)
    quote = original[:ihl + 8]
    l4 = struct.pack('!BBHI', f.get('icmp_type', 3), f.get('icmp_code', 3), 0, 0) + quote
    l4 = l4[:2] + struct.pack('!H', pkt.csum(l4)) + l4[4:]
    src, dst = socket.inet_aton(f['nw_src']), socket.inet_aton(f['nw_dst'])
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 0x05e2, 0, f.get('nw_ttl', 64), 1, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', pkt.csum(ip)) + ip[12:]
    eth = pkt.mac(f['dl_dst']) + pkt.mac(f['dl_src']) + struct.pack('!H', 0x0800)
    return (eth + ip + l4).ljust(60, b'\0')


def build(flow, marker, embed=None):
    """The frame of FLOW; `dl_vlan=N` adds an 802.1Q tag, `dl_type=0x....` alone a bare L2 frame."""
    tokens = [t for t in flow.split(',') if t]
    vlan = next((int(t.split('=', 1)[1], 0) for t in tokens if t.startswith('dl_vlan=')), None)
    flow = ','.join(t for t in tokens if not t.startswith('dl_vlan='))
    if embed:
        frame = build_icmp_error(flow, embed, marker)
    elif flow.startswith('icmp6,'):
        fields = dict(tok.split('=', 1) for tok in flow.split(',')[1:])
        frame = build_icmp6(fields, marker)
    elif flow.startswith('dl_type='):
        f = dict(tok.split('=', 1) for tok in flow.split(','))
        frame = (pkt.mac(f['dl_dst']) + pkt.mac(f['dl_src']) + struct.pack('!H', int(f['dl_type'], 0)) + marker.encode()).ljust(60, b'\0')
    else:
        frame = pkt.build(pkt.parse_flow(flow), marker)
    if vlan is not None:
        frame = frame[:12] + struct.pack('!HH', 0x8100, vlan & 0xfff) + frame[12:]
    return frame


def counters(save_cmd):
    """{"table|chain|N" or "table|chain|policy": packets} from `iptables-save -c`."""
    out = subprocess.run(save_cmd, check=True, capture_output=True, text=True).stdout
    result, table, index = {}, '', {}
    for line in out.splitlines():
        if line.startswith('*'):
            table, index = line[1:].strip(), {}
        elif line.startswith(':'):
            parts = line[1:].split()
            if len(parts) >= 3 and parts[1] != '-' and parts[2].startswith('['):
                result[f'{table}|{parts[0]}|policy'] = int(parts[2][1:].split(':')[0])
        elif line.startswith('['):
            close = line.index(']')
            packets = int(line[1:close].split(':')[0])
            rest = line[close + 1:].split()
            if len(rest) >= 2 and rest[0] == '-A':
                chain = rest[1]
                index[chain] = index.get(chain, 0) + 1
                result[f'{table}|{chain}|{index[chain]}'] = packets
    return result


def main():
    job = json.load(sys.stdin)
    receivers, senders = {}, {}
    for dev, ep in job['endpoints'].items():
        def make(ep=ep):
            r = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            r.bind((ep['iface'], 0))
            r.setblocking(False)
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((ep['iface'], 0))
            return r, s
        receivers[dev], senders[dev] = in_netns(ep['netns'], make)

    def drain():
        frames = []
        while True:
            ready, _, _ = select.select(list(receivers.values()), [], [], 0)
            if not ready:
                return frames
            for sock in ready:
                dev = next(d for d, s in receivers.items() if s is sock)
                while True:
                    try:
                        data, addr = sock.recvfrom(65535)
                    except BlockingIOError:
                        break
                    if addr[2] != PACKET_OUTGOING:
                        frames.append((dev, data))

    flush = job.get('flush')
    before = counters(job['save'])
    for probe in job['probes']:
        # Each probe is a connection's first packet unless it continues the previous one.
        if flush and not probe.get('keepConntrack'):
            subprocess.run(flush, check=True, capture_output=True)
        drain()
        frame = build(probe['flow'], probe['marker'], probe.get('embed'))
        senders[probe['from']].send(frame)
        after = counters(job['save'])
        # A receiver's kernel moves an 802.1Q tag into packet metadata: compare without it too.
        untagged = frame[:12] + frame[16:] if frame[12:14] == b'\x81\x00' else frame
        received = sorted({dev for dev, data in drain() if any(data[:len(f)] == f or (len(data) >= 42 and data == f[:len(data)]) for f in (frame, untagged))})
        deltas = {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}
        before = after
        print(json.dumps({'id': probe['id'], 'deltas': deltas, 'received': received}), flush=True)


if __name__ == '__main__':
    main()
