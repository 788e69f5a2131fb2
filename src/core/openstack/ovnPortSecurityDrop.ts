import type { TraceStep } from '../sim/TraceResult';

/**
 * Is this OVS drop OVN's logical-switch port security, and which side? Recognised from the shape
 * of the flows ovn-controller installs, never from table numbers (they move between OVN
 * versions: ls_in_apply_port_sec is OpenFlow table 9 in 23.03, ls_out_apply_port_sec 51):
 *
 *  - OVN 22.06 and later: the check stage runs
 *    `set_field:0/0x1000->reg10,resubmit(,T),move:NXM_NX_REG10[12]->NXM_NX_XXREG0[111],resubmit(,N)`
 *    (`reg0[15] = check_in_port_sec()` / `check_out_port_sec()`); table T's flows for the port
 *    (`reg14=<key>` in, `reg15=<key>` out) clear bit 12 of reg10 for its port_security addresses
 *    and set it for the rest; table N drops with `reg0=0x8000/0x8000 ... actions=drop`.
 *  - earlier OVN (ls_in_port_sec_ip / _nd, ls_out_port_sec_ip): the drop flow itself is the
 *    port's catch-all, `priority=80,ip,reg14=<key>,metadata=<dp>,dl_src=<MAC> actions=drop`,
 *    `priority=80,arp,reg14=…` (`reg15=…,dl_dst=…` on the way out).
 *
 * `check` is the port-security flow that flagged the packet (the one to show next to the drop).
 */
export interface OvnPortSecurityDrop {
  readonly direction: 'in' | 'out';
  readonly check?: TraceStep;
}

const CHECK_RESULT = /move:NXM_NX_REG10\[12\]->(?:NXM_NX_XXREG0\[111\]|NXM_NX_REG0\[15\]|reg0\[15\])/;

export function ovnPortSecurityDrop(drop: TraceStep, steps: readonly TraceStep[]): OvnPortSecurityDrop | undefined {
  if (drop.layer !== 'ovs' || drop.table === undefined || !isDrop(drop.action)) return undefined;
  const match = matchPart(drop.raw ?? '');
  const i = steps.indexOf(drop);
  // 22.06+: find the check stage that resubmitted here with the check's result in reg0[15].
  if (i > 0) {
    const into = new RegExp(`resubmit\\(,${drop.table}\\)`);
    for (let j = i - 1; j >= 0; j--) {
      const s = steps[j];
      if (!s || s.layer !== 'ovs' || s.bridge !== drop.bridge || s.depth >= drop.depth) continue;
      if (s.depth < drop.depth - 1) break;
      if (!CHECK_RESULT.test(s.action) || !into.test(s.action)) break;
      // The port-security flows ran between the check stage and the drop, one level deeper.
      const flagged = steps.slice(j + 1, i).filter((x) => x.layer === 'ovs' && x.bridge === drop.bridge && x.depth > s.depth && setsFailureBit(x.action));
      const check = flagged[flagged.length - 1];
      if (!check || !/\breg0=0x8000\/0x8000\b/.test(match)) return undefined;
      const m = matchPart(check.raw ?? '');
      const direction = /\breg15=/.test(m) ? 'out' : /\breg14=/.test(m) ? 'in' : undefined;
      return direction ? { direction, check } : undefined;
    }
  }
  // Before 22.06: the port's priority-80 catch-all in ls_{in,out}_port_sec_ip / ls_in_port_sec_nd.
  if (/\b(reg0|reg10|ct_state|ct_mark|ct_label)=/.test(match) || !/\bmetadata=/.test(match)) return undefined;
  const inport = /\breg14=/.test(match);
  const outport = /\breg15=/.test(match);
  if (inport === outport) return undefined;
  const ipWithMac = /(^|,)(ip|ipv6)(,|$)/.test(match) && /\b(dl_src|dl_dst|eth_src|eth_dst)=/.test(match);
  const neighbour = inport && /(^|,)(arp|icmp6)(,|$)/.test(match);
  if (!ipWithMac && !neighbour) return undefined;
  return { direction: inport ? 'in' : 'out' };
}

function isDrop(action: string): boolean {
  return action.trim() === 'drop' || action.trim() === '';
}

/** `priority=50,reg0=0x8000/0x8000,metadata=0x1` of a dump-flows line, without counters or actions. */
function matchPart(raw: string): string {
  const a = raw.indexOf(' actions=');
  const head = a === -1 ? raw : raw.slice(0, a);
  const p = head.search(/\bpriority=/);
  return (p === -1 ? head : head.slice(p)).trim();
}

function setsFailureBit(action: string): boolean {
  return /set_field:0x1000\/0x1000->reg10\b/.test(action) || /load:0x1->NXM_NX_REG10\[12\]/.test(action);
}
