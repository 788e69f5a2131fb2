#!/usr/bin/env python3
"""Send and sniff single Ethernet frames described in `ovs-appctl ofproto/trace` flow syntax.

The oracle scenarios describe every probe packet once, as a flow string such as
    arp,arp_op=1,arp_spa=10.0.0.50,arp_tpa=10.0.0.50,arp_sha=fa:16:3e:a6:5f:70,dl_src=fa:16:3e:a6:5f:70,dl_dst=ff:ff:ff:ff:ff:ff
and the same string is (a) turned into a real frame here, (b) handed to ofproto/trace and
(c) recorded in observed.json, so the three can never disagree.

  pkt.py send IFACE FLOW [--marker TEXT]
      builds the frame and writes it with an AF_PACKET socket (no kernel routing, no ARP).
      IPv4 payloads carry TEXT so a receiver can recognise the probe even after NAT.
  pkt.py sendsock PROTO SRC DST [--marker TEXT]
      sends one ICMP echo / UDP datagram / TCP SYN (PROTO icmp|udp|tcp) through the kernel's own
      IP stack from SRC (ip or ip:port) to DST (ip or ip:port): routing, ARP and the OUTPUT
      chains apply. A send error (e.g. EPERM from an iptables DROP in OUTPUT) is an observation
      and is printed as {"error": ...}, exit 0.
  pkt.py listen-udp ADDR:PORT [--marker TEXT] [--timeout S] [--ready FILE] [--sent FILE]
  pkt.py listen-tcp ADDR:PORT [--timeout S] [--ready FILE] [--sent FILE]
      a local socket that reports whether the probe reached it (a datagram carrying TEXT; a
      connection in SYN_RECV or ESTABLISHED on PORT, read from /proc/net/tcp of the namespace).
  pkt.py sniff IFACE --match FLOW [--marker TEXT] [--timeout S] [--ready FILE] [--sent FILE]
      prints a JSON object {"matched": n, "frames": [...]} of the frames received on IFACE
      (outgoing frames are ignored) whose fields equal every field given in the match FLOW and,
      for IPv4, whose payload contains TEXT. Stops at the first match or after S seconds.
      FILE is created once the socket is bound, so the caller knows when to send.
      With --sent, the S seconds count from when the caller creates that file (right after the
      sender returned), not from the start: a sender slow to start on a loaded machine must not
      make a delivered frame look lost.

Only the fields the scenarios use are understood; an unknown field is an error (exit 2), never
ignored, because a silently ignored field would make the probe lie. Python 3 standard library
only: no scapy, no tcpdump, no arping on this machine.
"""
import json
import os
import socket
import struct
import sys
import time
import zlib

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SHORTHANDS = {  # ofproto/trace protocol shorthands -> (dl_type, nw_proto)
    'arp': (0x0806, None), 'rarp': (0x8035, None), 'ip': (0x0800, None),
    'icmp': (0x0800, 1), 'tcp': (0x0800, 6), 'udp': (0x0800, 17), 'vrrp': (0x0800, 112),
}
KNOWN = {'in_port', 'dl_src', 'dl_dst', 'dl_type', 'nw_src', 'nw_dst', 'nw_proto', 'nw_ttl',
         'nw_tos', 'tp_src', 'tp_dst', 'icmp_type', 'icmp_code', 'arp_op', 'arp_spa', 'arp_tpa',
         'arp_sha', 'arp_tha', 'tcp_flags'}
TCP_FLAGS = {'fin': 0x01, 'syn': 0x02, 'rst': 0x04, 'psh': 0x08, 'ack': 0x10}
SENT_WAIT_MAX = 30.0  # seconds a receiver waits for the --sent file at most


class Deadline:
    """The receiver's timeout: from the --sent file's creation when given, else from now."""

    def __init__(self, timeout, sent):
        self.timeout, self.sent = timeout, sent
        now = time.monotonic()
        self.end = None if sent else now + timeout
        self.cap = now + SENT_WAIT_MAX

    def left(self):
        now = time.monotonic()
        if self.end is None:
            if not os.path.exists(self.sent):
                return min(0.05, self.cap - now)  # not sent yet: poll again soon
            self.end = now + self.timeout
        return self.end - now


def parse_flow(text):
    """'icmp,nw_src=1.2.3.4' -> {'dl_type': 0x800, 'nw_proto': 1, 'nw_src': '1.2.3.4'}"""
    fields = {}
    for tok in [t.strip() for t in text.split(',') if t.strip()]:
        if '=' not in tok:
            if tok not in SHORTHANDS:
                raise ValueError(f'unknown protocol shorthand {tok!r}')
            dl_type, proto = SHORTHANDS[tok]
            fields['dl_type'] = dl_type
            if proto is not None:
                fields['nw_proto'] = proto
            continue
        key, value = tok.split('=', 1)
        if key not in KNOWN:
            raise ValueError(f'unknown flow field {key!r}')
        if key in ('dl_type', 'nw_proto', 'nw_ttl', 'nw_tos', 'tp_src', 'tp_dst', 'icmp_type',
                   'icmp_code', 'arp_op'):
            fields[key] = int(value, 0)
        elif key == 'tcp_flags':  # 0x012, syn, +syn+ack
            fields[key] = int(value, 0) if value[0].isdigit() else sum(
                TCP_FLAGS[f] for f in value.lstrip('+').split('+'))
        else:
            fields[key] = value.lower()
    return fields


def icmp_id(marker):
    """A per-probe echo identifier, so no two probes share a conntrack entry."""
    return zlib.crc32(marker.encode()) & 0xffff


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def mac_str(b):
    return ':'.join(f'{x:02x}' for x in b)


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def build(fields, marker):
    dl_type = fields.get('dl_type', 0x0800)
    eth = mac(fields.get('dl_dst', 'ff:ff:ff:ff:ff:ff')) + mac(fields['dl_src']) + struct.pack('!H', dl_type)
    if dl_type in (0x0806, 0x8035):
        sha = fields.get('arp_sha', fields['dl_src'])
        body = struct.pack('!HHBBH', 1, 0x0800, 6, 4, fields.get('arp_op', 1))
        body += mac(sha) + socket.inet_aton(fields['arp_spa'])
        body += mac(fields.get('arp_tha', '00:00:00:00:00:00')) + socket.inet_aton(fields['arp_tpa'])
        return (eth + body).ljust(60, b'\0')
    if dl_type != 0x0800:
        raise ValueError(f'cannot build dl_type 0x{dl_type:04x}')
    proto = fields.get('nw_proto', 1)
    src, dst = socket.inet_aton(fields['nw_src']), socket.inet_aton(fields['nw_dst'])
    payload = marker.encode()
    if proto == 1:
        l4 = struct.pack('!BBHHH', fields.get('icmp_type', 8), fields.get('icmp_code', 0), 0, icmp_id(marker), 1) + payload
        l4 = l4[:2] + struct.pack('!H', csum(l4)) + l4[4:]
    elif proto == 17:
        l4 = struct.pack('!HHHH', fields.get('tp_src', 40000), fields.get('tp_dst', 9), 8 + len(payload), 0) + payload
        pseudo = src + dst + struct.pack('!BBH', 0, 17, len(l4))
        l4 = l4[:6] + struct.pack('!H', csum(pseudo + l4) or 0xffff) + l4[8:]
    elif proto == 6:
        flags = fields.get('tcp_flags', TCP_FLAGS['syn'])
        l4 = struct.pack('!HHIIBBHHH', fields.get('tp_src', 40000), fields.get('tp_dst', 80), 1, 0,
                         5 << 4, flags, 64240, 0, 0) + payload
        pseudo = src + dst + struct.pack('!BBH', 0, 6, len(l4))
        l4 = l4[:16] + struct.pack('!H', csum(pseudo + l4)) + l4[18:]
    else:  # any other protocol (e.g. VRRP 112): the marker is the whole payload
        l4 = payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, fields.get('nw_tos', 0), 20 + len(l4), 0x05e1, 0,
                     fields.get('nw_ttl', 64), proto, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return (eth + ip + l4).ljust(60, b'\0')


def decode(frame):
    """The flow fields of a received frame, in the same vocabulary as parse_flow."""
    f = {'dl_dst': mac_str(frame[0:6]), 'dl_src': mac_str(frame[6:12])}
    dl_type = struct.unpack('!H', frame[12:14])[0]
    f['dl_type'] = dl_type
    p = frame[14:]
    if dl_type in (0x0806, 0x8035) and len(p) >= 28:
        f['arp_op'] = struct.unpack('!H', p[6:8])[0]
        f['arp_sha'], f['arp_spa'] = mac_str(p[8:14]), socket.inet_ntoa(p[14:18])
        f['arp_tha'], f['arp_tpa'] = mac_str(p[18:24]), socket.inet_ntoa(p[24:28])
    elif dl_type == 0x0800 and len(p) >= 20:
        ihl = (p[0] & 0x0f) * 4
        total = struct.unpack('!H', p[2:4])[0]
        f['nw_proto'], f['nw_ttl'], f['nw_tos'] = p[9], p[8], p[1]
        f['nw_src'], f['nw_dst'] = socket.inet_ntoa(p[12:16]), socket.inet_ntoa(p[16:20])
        l4 = p[ihl:total]
        if f['nw_proto'] in (6, 17) and len(l4) >= 4:
            f['tp_src'], f['tp_dst'] = struct.unpack('!HH', l4[0:4])
        if f['nw_proto'] == 6 and len(l4) >= 14:
            f['tcp_flags'] = l4[13]
        if f['nw_proto'] == 1 and len(l4) >= 2:
            f['icmp_type'], f['icmp_code'] = l4[0], l4[1]
        f['_payload'] = l4
    return f


def matches(got, want, marker):
    for k, v in want.items():
        if k == 'in_port':
            continue
        if got.get(k) != v:
            return False
    if got.get('dl_type') == 0x0800 and marker:
        return marker.encode() in got.get('_payload', b'')
    return True


def arg(argv, name, default=None):
    if name in argv:
        i = argv.index(name)
        return argv[i + 1]
    return default


def hostport(text, default_port=0):
    host, _, port = text.partition(':')
    return host, int(port) if port else default_port


def sendsock(proto, src, dst, marker):
    (sip, sport), (dip, dport) = hostport(src), hostport(dst)
    payload = marker.encode()
    try:
        if proto == 'icmp':
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            s.bind((sip, 0))
            msg = struct.pack('!BBHHH', 8, 0, 0, icmp_id(marker), 1) + payload
            msg = msg[:2] + struct.pack('!H', csum(msg)) + msg[4:]
            s.sendto(msg, (dip, 0))
        elif proto == 'udp':
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sip, sport))
            s.sendto(payload, (dip, dport))
        elif proto == 'tcp':
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((sip, sport))
            s.setblocking(False)
            err = s.connect_ex((dip, dport))
            if err not in (0, 115):  # EINPROGRESS is the normal answer of a non-blocking connect
                raise OSError(err, __import__('os').strerror(err))
            time.sleep(0.05)
        else:
            raise ValueError(f'unknown protocol {proto!r}')
    except OSError as e:
        return {'error': e.strerror or str(e), 'errno': e.errno}
    return {'sent': True}


def tcp_states(port):
    """Remote ends of connections on local PORT in SYN_RECV (03) or ESTABLISHED (01)."""
    found = []
    with open('/proc/net/tcp') as f:
        for line in f.readlines()[1:]:
            parts = line.split()
            local, remote, state = parts[1], parts[2], parts[3]
            if int(local.split(':')[1], 16) == port and state in ('01', '03'):
                ip = socket.inet_ntoa(struct.pack('<I', int(remote.split(':')[0], 16)))
                found.append({'remote': f"{ip}:{int(remote.split(':')[1], 16)}",
                              'state': 'SYN_RECV' if state == '03' else 'ESTABLISHED'})
    return found


def main(argv):
    if len(argv) < 2 or argv[0] not in ('send', 'sniff', 'sendsock', 'listen-udp', 'listen-tcp'):
        print(__doc__, file=sys.stderr)
        return 2
    cmd, iface = argv[0], argv[1]
    marker = arg(argv, '--marker', '')
    timeout = float(arg(argv, '--timeout', '1.0'))
    ready = arg(argv, '--ready')
    sent = arg(argv, '--sent')
    if cmd == 'sendsock':
        print(json.dumps(sendsock(argv[1], argv[2], argv[3], marker)))
        return 0
    if cmd == 'listen-udp':
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.bind(hostport(iface))
        if ready:
            open(ready, 'w').close()
        deadline = Deadline(timeout, sent)
        while (left := deadline.left()) > 0:
            s.settimeout(max(0.01, left))
            try:
                data, addr = s.recvfrom(65535)
            except socket.timeout:
                continue
            if marker.encode() in data:
                print(json.dumps({'matched': 1, 'from': f'{addr[0]}:{addr[1]}'}))
                return 0
        print(json.dumps({'matched': 0}))
        return 0
    if cmd == 'listen-tcp':
        host, port = hostport(iface)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.listen(16)
        if ready:
            open(ready, 'w').close()
        deadline = Deadline(timeout, sent)
        while deadline.left() > 0:
            found = tcp_states(port)
            if found:
                print(json.dumps({'matched': 1, 'connections': found}))
                return 0
            time.sleep(0.02)
        print(json.dumps({'matched': 0}))
        return 0
    try:
        if cmd == 'send':
            frame = build(parse_flow(argv[2]), marker)
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((iface, 0))
            s.send(frame)
            print(json.dumps({'sent': len(frame), 'iface': iface}))
            return 0
        want = parse_flow(arg(argv, '--match', ''))
    except ValueError as e:
        print(f'pkt.py: {e}', file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    if ready:
        open(ready, 'w').close()
    deadline = Deadline(timeout, sent)
    seen = []
    matched = 0
    while (left := deadline.left()) > 0:
        s.settimeout(max(0.01, left))
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING:
            continue
        got = decode(frame)
        ok = matches(got, want, marker)
        got.pop('_payload', None)
        if len(seen) < 20:
            seen.append({k: v for k, v in got.items()} | {'matched': ok})
        if ok:
            matched += 1
            break
    print(json.dumps({'matched': matched, 'frames': seen}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
