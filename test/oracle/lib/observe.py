#!/usr/bin/env python3
"""Run the probes of an oracle scenario and derive observed.json from real counters.

  observe.py hostjson --tsv .commands.tsv --snapshot OUTDIR --netns-list FILE --hostname H
                      --scenario ID --seed FILE --commands-out STATE/commands.json
  observe.py run --state DIR --probes probes.txt --ns-prefix P --pkt pkt.py  > probe-results.json
  observe.py resolve --state DIR --results probe-results.json --snapshot OUTDIR > observed.json

`run`, for each probe in turn:
  1. reads every counter source of the snapshot (the iptables-save -c of each namespace,
     ebtables -L --Lc of the three tables, ovs-ofctl dump-flows of each bridge) by re-running the
     exact commands the dump ran (STATE/commands.json);
  2. starts the receiver (an AF_PACKET sniffer in the receiving VM, or a local UDP/TCP socket),
     sends exactly one frame (AF_PACKET, no ARP needed) or one kernel-socket packet, waits;
  3. flushes the OVS datapath flows (`ovs-appctl revalidator/purge`) so their statistics are
     credited to the OpenFlow flows, and reads the counters again;
  4. runs `ovs-appctl ofproto/trace` for probes that cross an OVS bridge.
A probe is `delivered` when its receiver saw it. Every rule or flow whose packet counter grew is
listed (countersMoved); for a probe that was not delivered, decidedBy is the DROP/REJECT rule,
DROP chain policy or drop flow among them (a single packet can be dropped only once; more than
one candidate is reported as such). The same frame, as a flow string, feeds the trace.

`resolve` maps each moved entry to its line in the final snapshot files (the dump is redone after
the probes, so its counters include them) and prints observed.json.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

COUNTER_FILE = re.compile(r'(^|/)(iptables-save_-c|ebtables_-t_\w+_-L_--Lc|ovs-ofctl_dump-flows_[^/]+)$')
NONCE = os.urandom(2).hex()  # per run: probes of two runs never share a conntrack entry
OVS_STATS = re.compile(r'\b(duration|n_packets|n_bytes|idle_age|hard_age|idle_timeout_left)=[^,\s]*,?\s*')


def sh(argv, timeout=10):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


# ---- counter parsers (only what the oracle needs; the project's real parsers live in src/) ----

def parse_iptables(text):
    """`[3:180] -A nova-compute-sg-fallback -j DROP` and `:FORWARD ACCEPT [0:0]` lines."""
    out, table = [], None
    for n, line in enumerate(text.split('\n'), 1):
        if line.startswith('*'):
            table = line[1:].strip()
        elif line.startswith(':'):
            m = re.match(r':(\S+) (\S+) \[(\d+):(\d+)\]', line)
            if m and m.group(2) != '-':
                out.append({'line': n, 'table': table, 'chain': m.group(1), 'kind': 'policy',
                            'key': f':{m.group(1)} {m.group(2)}', 'packets': int(m.group(3)),
                            'target': m.group(2)})
        elif line.startswith('['):
            m = re.match(r'\[(\d+):(\d+)\] (-A (\S+).*)$', line)
            if m:
                targets = re.findall(r' -[jg] (\S+)', m.group(3))
                out.append({'line': n, 'table': table, 'chain': m.group(4), 'kind': 'rule',
                            'key': m.group(3), 'packets': int(m.group(1)),
                            'target': targets[-1] if targets else None})
    return out


def parse_ebtables(text):
    """`-p ARP --arp-ip-src 10.16.0.131 -j RETURN , pcnt = 3 -- bcnt = 126` under its chain."""
    out, table, chain = [], None, None
    for n, line in enumerate(text.split('\n'), 1):
        m = re.match(r'Bridge table: (\S+)', line)
        if m:
            table = m.group(1)
            continue
        m = re.match(r'Bridge chain: ([^,]+),', line)
        if m:
            chain = m.group(1)
            continue
        m = re.match(r'(.*) , pcnt = (\d+) -- bcnt = (\d+)$', line)
        if m and chain:
            targets = re.findall(r'-j (\S+)', m.group(1))
            out.append({'line': n, 'table': table, 'chain': chain, 'kind': 'rule', 'key': m.group(1),
                        'packets': int(m.group(2)), 'target': targets[-1] if targets else None})
    return out


def parse_ovs(text):
    """` cookie=0x0, duration=1.2s, table=24, n_packets=1, ..., priority=0 actions=drop`"""
    out = []
    for n, line in enumerate(text.split('\n'), 1):
        if 'actions=' not in line or 'n_packets=' not in line:
            continue
        pk = re.search(r'n_packets=(\d+)', line)
        tb = re.search(r'\btable=(\d+)', line)
        key = OVS_STATS.sub('', line).strip()
        actions = line.split('actions=', 1)[1].strip()
        out.append({'line': n, 'table': int(tb.group(1)) if tb else 0, 'kind': 'flow', 'key': key,
                    'packets': int(pk.group(1)), 'target': actions})
    return out


def parse_counters(rel, text):
    base = os.path.basename(rel)
    if base.startswith('iptables-save'):
        return 'iptables', parse_iptables(text)
    if base.startswith('ebtables'):
        return 'ebtables', parse_ebtables(text)
    return 'ovs', parse_ovs(text)


def read_counters(commands):
    texts = {}
    for c in commands:
        if COUNTER_FILE.search(c['file']) and 'OpenFlow13' not in c['file']:
            texts[c['file']] = sh(c['run']).stdout
    return texts


def moved(commands, before, after):
    by_file = {c['file']: c for c in commands}
    result = []
    for rel, text in after.items():
        layer, entries = parse_counters(rel, text)
        _, old = parse_counters(rel, before.get(rel, ''))
        seen, old_by_key = {}, {}
        for e in old:
            old_by_key.setdefault(e['key'], []).append(e['packets'])
        for e in entries:
            i = seen.get(e['key'], 0)
            seen[e['key']] = i + 1
            prev = old_by_key.get(e['key'], [])
            delta = e['packets'] - (prev[i] if i < len(prev) else 0)
            if delta <= 0:
                continue
            item = {'layer': layer, 'table': e['table'], 'file': rel, 'line': e['line'],
                    'key': e['key'], 'occurrence': i, 'packets': delta, 'target': e['target'],
                    'kind': e['kind']}
            if layer == 'ovs':
                item['bridge'] = by_file[rel].get('bridge') or rel.rsplit('_', 1)[-1]
            else:
                item['chain'] = e['chain']
            if by_file[rel].get('netns') and by_file[rel]['netns'] != 'host':
                item['netns'] = by_file[rel]['netns']
            result.append(item)
    return result


def is_drop(item):
    t = (item.get('target') or '').strip()
    if item['layer'] == 'ovs':
        return t in ('drop', '')
    return t in ('DROP', 'REJECT')


# ---- hostjson ---------------------------------------------------------------------------------

def cmd_hostjson(tsv, snapshot, netns_list, hostname, scenario, seed, commands_out):
    """host.json of docs/snapshot-folder.md from the records lib.sh `cap` wrote."""
    commands, runs = [], []
    for line in open(tsv).read().split('\n'):
        if not line:
            continue
        rel, rc, ns, bridge, op, run = line.split('\x1e')
        entry = {'file': rel, 'argv': op.split('\x1f')[:-1], 'exitCode': int(rc)}
        if ns != 'host':
            entry['netns'] = ns
        if bridge:
            entry['bridge'] = bridge
        if int(rc) != 0:
            err = os.path.join(snapshot, rel + '.stderr')
            entry['stderr'] = open(err).read() if os.path.exists(err) else ''
        commands.append(entry)
        runs.append({'file': rel, 'run': run.split('\x1f')[:-1], 'netns': ns, 'bridge': bridge or None})
    namespaces = {}
    for line in open(netns_list).read().split('\n'):
        if line.strip():
            actual, logical = line.split()
            if not logical.startswith('guest-'):
                namespaces[logical] = actual
    host = {
        'version': 1, 'hostname': hostname,
        'collectedAt': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'collector': f'osnet test/oracle scenario {scenario}',
        'commands': commands,
        'oracle': {
            'scenario': scenario, 'seed': seed,
            'note': ('Rebuilt with real kernel networking and a private Open vSwitch (userspace '
                     'datapath) inside network namespaces. argv is what an operator runs on the '
                     'modelled host; namespaces maps its namespace names ("host" = the root of '
                     'this snapshot) to the namespaces that really ran the commands.'),
            'namespaces': namespaces,
        },
    }
    with open(os.path.join(snapshot, 'host.json'), 'w') as f:
        json.dump(host, f, indent=2)
        f.write('\n')
    with open(commands_out, 'w') as f:
        json.dump(runs, f, indent=1)


# ---- probe specs (lines printed by lib.sh `probe`) ----------------------------------------------

def parse_probes(text, prefix):
    def actual(ns):
        return f'{prefix}-{ns}'

    def where(v):
        dev, _, ns = v.partition('@')
        return {'netns': ns, 'device': dev} if ns else {'device': dev}

    probes = []
    for line in text.split('\n'):
        if not line.strip():
            continue
        kv = dict(f.split('=', 1) for f in line.split('\x1f'))
        unknown = set(kv) - {'id', 'desc', 'packet', 'send', 'recv', 'match', 'ingress', 'egress', 'trace', 'timeout'}
        if unknown:
            raise ValueError(f'probe {kv.get("id")}: unknown keys {sorted(unknown)}')
        p = {'id': kv['id'], 'description': kv['desc'], 'packet': kv['packet'],
             'ingress': where(kv['ingress'])}
        send = kv['send'].split(':')
        if send[0] == 'sock':
            _, ns, proto, src, sport, dst, dport = send
            p['send'] = {'ns': actual(ns), 'socket': proto, 'src': f'{src}:{sport}', 'dst': f'{dst}:{dport}'}
        else:
            p['send'] = {'ns': actual(send[0]), 'iface': send[1]}
        recv = kv['recv'].split(':')
        if recv[0] in ('udp', 'tcp'):
            p['receive'] = {'ns': actual(recv[1]), recv[0]: f'{recv[2]}:{recv[3]}'}
        else:
            p['receive'] = {'ns': actual(recv[0]), 'iface': recv[1], 'match': kv.get('match', kv['packet'])}
        if kv.get('egress'):
            p['egress'] = where(kv['egress'])
        if kv.get('timeout'):
            p['timeout'] = float(kv['timeout'])
        if kv.get('trace'):
            br, port = kv['trace'].split(':', 1)
            p['trace'] = {'bridge': br, 'inPort': port}
        probes.append(p)
    return probes


# ---- run --------------------------------------------------------------------------------------

def wait_file(path, proc, limit=5.0):
    end = time.monotonic() + limit
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def ovs_purge(commands):
    if any('ovs-ofctl_dump-flows_' in c['file'] for c in commands):
        sh(['ovs-appctl', 'revalidator/purge'])


def run_probe(p, commands, pkt, tmp):
    marker = f"osnet-probe:{p['id']}:{NONCE}"
    ready = os.path.join(tmp, p['id'] + '.ready')
    sent_file = os.path.join(tmp, p['id'] + '.sent')
    ovs_purge(commands)
    time.sleep(0.05)
    before = read_counters(commands)
    rcv = p['receive']
    timeout = str(p.get('timeout', 0.5))
    if 'iface' in rcv:
        rargv = ['sniff', rcv['iface'], '--match', rcv['match'], '--marker', marker]
    elif 'udp' in rcv:
        rargv = ['listen-udp', rcv['udp'], '--marker', marker]
    else:
        rargv = ['listen-tcp', rcv['tcp']]
    # The receiver's timeout counts from the moment the sender returned (--sent): on a loaded
    # machine the sender's own start can take longer than the timeout.
    receiver = subprocess.Popen(['ip', 'netns', 'exec', rcv['ns'], sys.executable, pkt, *rargv,
                                 '--timeout', timeout, '--ready', ready, '--sent', sent_file],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait_file(ready, receiver):
        raise RuntimeError(f"probe {p['id']}: receiver did not start: {receiver.communicate()[1]}")
    snd = p['send']
    if 'iface' in snd:
        sargv = ['send', snd['iface'], p['packet'], '--marker', marker]
    else:
        sargv = ['sendsock', snd['socket'], snd['src'], snd['dst'], '--marker', marker]
    sent = sh(['ip', 'netns', 'exec', snd['ns'], sys.executable, pkt, *sargv])
    open(sent_file, 'w').close()
    if sent.returncode != 0:
        receiver.kill()
        raise RuntimeError(f"probe {p['id']}: send failed: {sent.stderr}")
    out, err = receiver.communicate(timeout=30)
    if receiver.returncode != 0:
        raise RuntimeError(f"probe {p['id']}: receiver failed: {err}")
    got = json.loads(out)
    time.sleep(0.05)
    ovs_purge(commands)
    after = read_counters(commands)
    res = {'probe': p, 'sent': json.loads(sent.stdout), 'receiver': got,
           'delivered': got.get('matched', 0) > 0, 'moved': moved(commands, before, after)}
    if p.get('trace'):
        tr = p['trace']
        flow = f"in_port={tr['inPort']},{p['packet']}"
        argv = ['ovs-appctl', 'ofproto/trace', tr['bridge'], flow]
        r = sh(argv)
        res['trace'] = {'argv': argv, 'output': r.stdout if r.returncode == 0 else r.stderr,
                        'exitCode': r.returncode}
    return res


def cmd_run(state, probes_file, prefix, pkt):
    commands = json.load(open(os.path.join(state, 'commands.json')))
    probes = parse_probes(open(probes_file).read(), prefix)
    results = []
    with tempfile.TemporaryDirectory(dir=state) as tmp:
        for p in probes:
            results.append(run_probe(p, commands, pkt, tmp))
    json.dump(results, sys.stdout, indent=1)


# ---- resolve ----------------------------------------------------------------------------------

def strip_counters(layer, line):
    if layer == 'iptables':
        line = re.sub(r'^\[\d+:\d+\] ', '', line)
        return re.sub(r' \[\d+:\d+\]$', '', line)
    if layer == 'ebtables':
        return re.sub(r' , pcnt = \d+ -- bcnt = \d+$', '', line)
    return OVS_STATS.sub('', line).strip()


def locate(snapshot, item):
    """The (line, raw text) of a moved entry in the final snapshot file."""
    lines = open(os.path.join(snapshot, item['file'])).read().split('\n')
    n = item['line']
    if 0 < n <= len(lines) and strip_counters(item['layer'], lines[n - 1]) == item['key']:
        return n, lines[n - 1]
    k = 0
    for i, line in enumerate(lines, 1):
        if strip_counters(item['layer'], line) == item['key']:
            if k == item['occurrence']:
                return i, line
            k += 1
    raise RuntimeError(f"{item['file']}: cannot find {item['key']!r} in the final dump")


TRACE_TABLE = re.compile(r'^\s*(\d+)\. (.*?)(?:, )?priority (\d+)(?:, cookie (0x[0-9a-f]+))?\s*$')


def summarize_trace(text):
    """Last OpenFlow table visited, and the datapath actions, of an ofproto/trace output."""
    last, bridge, cur_bridge = None, None, None
    for line in text.split('\n'):
        m = re.match(r'^bridge\("([^"]+)"\)', line)
        if m:
            cur_bridge = m.group(1)
            continue
        m = TRACE_TABLE.match(line)
        if m:
            last = {'table': int(m.group(1)), 'match': m.group(2).rstrip(', '),
                    'priority': int(m.group(3))}
            bridge = cur_bridge
    # A trace through ct(table=N) prints one "Datapath actions:" per pass (the first ends in
    # recirc(...)); the packet's fate is the last pass's.
    dp = re.findall(r'^Datapath actions: (.*)$', text, re.M)
    return {'bridge': bridge, 'lastTable': last, 'datapathActions': dp[-1] if dp else None}


def flow_priority(key):
    m = re.search(r'\bpriority=(\d+)', key)
    return int(m.group(1)) if m else 32768


def flow_matches_trace(key, last):
    """Does dump-flows entry `key` describe the flow the trace ended in?"""
    if not last:
        return False
    if f"table={last['table']}," not in key and last['table'] != 0:
        return False
    if flow_priority(key) != last['priority']:
        return False
    match = key.split(' actions=')[0]
    return all(part in match for part in last['match'].split(',') if part)


def describe(item, snapshot):
    line, raw = locate(snapshot, item)
    out = {'layer': item['layer'], 'table': item['table']}
    if item.get('netns'):
        out['netns'] = item['netns']
    if item['layer'] == 'ovs':
        out['bridge'] = item['bridge']
    else:
        out['chain'] = item['chain']
    out.update({'rule': raw, 'file': item['file'], 'line': line})
    return out


def cmd_resolve(state, results_file, snapshot):
    results = json.load(open(results_file))
    observed = []
    for r in results:
        p = r['probe']
        entry = {'id': p['id'], 'description': p['description'], 'ingress': p['ingress']}
        if p.get('egress'):
            entry['egress'] = p['egress']
        entry.update({'packet': p['packet'], 'delivered': r['delivered']})
        if 'error' in r['sent']:
            entry['sendError'] = r['sent']['error']
        frames = [f for f in r['receiver'].get('frames', []) if f.get('matched')]
        if frames:
            entry['received'] = {k: v for k, v in frames[0].items() if k != 'matched'}
        elif r['receiver'].get('connections'):
            entry['received'] = {'connections': r['receiver']['connections']}
        elif r['receiver'].get('from'):
            entry['received'] = {'from': r['receiver']['from']}
        moved_items = [describe(m, snapshot) | {'packets': m['packets']} for m in r['moved']]
        drops = [i for i, m in enumerate(r['moved']) if is_drop(m)]
        if not r['delivered'] and drops:
            entry['decidedBy'] = {k: v for k, v in moved_items[drops[-1]].items() if k != 'packets'}
            if len(drops) > 1:
                entry['dropCandidates'] = [moved_items[i] for i in drops]
        if 'trace' in r:
            summary = summarize_trace(r['trace']['output'])
            trace = {'argv': r['trace']['argv'], **summary}
            ovs_drop = [r['moved'][i] for i in drops if r['moved'][i]['layer'] == 'ovs']
            if ovs_drop:
                trace['agreesWithCounters'] = flow_matches_trace(ovs_drop[-1]['key'], summary['lastTable'])
            trace['output'] = r['trace']['output']
            entry['ovsTrace'] = trace
        entry['countersMoved'] = moved_items
        observed.append(entry)
    json.dump(observed, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write('\n')


def opt(argv, name):
    return argv[argv.index(name) + 1]


def main(argv):
    if argv and argv[0] == 'hostjson':
        cmd_hostjson(opt(argv, '--tsv'), opt(argv, '--snapshot'), opt(argv, '--netns-list'),
                     opt(argv, '--hostname'), opt(argv, '--scenario'), opt(argv, '--seed'),
                     opt(argv, '--commands-out'))
        return 0
    if argv and argv[0] == 'run':
        cmd_run(opt(argv, '--state'), opt(argv, '--probes'), opt(argv, '--ns-prefix'), opt(argv, '--pkt'))
        return 0
    if argv and argv[0] == 'resolve':
        cmd_resolve(opt(argv, '--state'), opt(argv, '--results'), opt(argv, '--snapshot'))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
