import type { TraceStep } from '../sim/TraceResult';

/**
 * Is this OVS drop an OVN ACL, i.e. a Neutron security group on ML2/OVN? Recognised from the shape
 * of the flows ovn-controller compiles the ls_in_acl / ls_out_acl logical flows into, never from
 * table numbers (ls_out_acl is OpenFlow table 46 in OVN 23.03; stages move between versions):
 *
 *  - the flow belongs to a logical datapath (`metadata=`) and its priority is an ACL's priority
 *    plus ovn-northd's offset of 1000 (ACL priorities are 0..32767, so 1000..33767; the stages'
 *    own flows sit at 0..7, 34000 and 65532). Neutron's `neutron_pg_drop` port group holds every
 *    port with security groups and drops all IP at ACL priority 1001 (`priority=2001`), below the
 *    groups' allow-related rules at 1002 (`priority=2002`);
 *  - the action drops: `drop` when the ACL stage's hint said the connection is new or untracked
 *    (`reg0[9] == 1 && (outport == @neutron_pg_drop && ip)`, i.e. `reg0=0x200/0x200`), or, for an
 *    established connection a rule change no longer allows, a `ct(commit,...)` that only marks it
 *    blocked (`exec(set_field:0x1/0x1->ct_mark)`) and sends nothing;
 *  - the side comes from the port register the ACL names: `reg15=<key>` (outport, a to-lport ACL,
 *    Neutron's ingress rules of the receiver) or `reg14=<key>` (inport, from-lport, the sender's
 *    egress rules). When the flow is a conjunction (`conj_id=`), the clauses or an earlier
 *    `->reg15` (the egress pipeline runs after the outport is chosen) tell. A drop in that
 *    priority range naming no port and no ACL hint bit (a router policy) is not an ACL.
 */
export interface OvnAclDrop {
  readonly direction: 'from-lport' | 'to-lport';
  /** The logical port key in the flow (reg15 for to-lport, reg14 for from-lport), when it names one. */
  readonly portKey?: bigint;
  /** The NB ACL's priority (OpenFlow priority - 1000). */
  readonly aclPriority: number;
  /** Neutron's default drop (`neutron_pg_drop`, ACL priority 1001): no security group rule allowed the packet. */
  readonly neutronDefaultDrop: boolean;
  /** An established connection marked blocked (`ct_mark.blocked = 1`): the rule that allowed it is gone. */
  readonly blockedConnection: boolean;
}

const OVN_ACL_PRIORITY_OFFSET = 1000;
const MAX_ACL_PRIORITY = 32767;
/** Neutron's ovn_const.ACL_PRIORITY_DROP. */
const NEUTRON_DROP_PRIORITY = 1001;

export function ovnAclDrop(drop: TraceStep, steps: readonly TraceStep[] = []): OvnAclDrop | undefined {
  if (drop.layer !== 'ovs' || drop.raw === undefined) return undefined;
  const match = matchPart(drop.raw);
  if (!/(?:^|,)metadata=/.test(match)) return undefined;
  const priority = Number(/(?:^|,)priority=(\d+)/.exec(match)?.[1] ?? NaN);
  const aclPriority = priority - OVN_ACL_PRIORITY_OFFSET;
  if (!(aclPriority >= 0 && aclPriority <= MAX_ACL_PRIORITY)) return undefined;
  const action = drop.action.trim();
  const blockedConnection = /^ct\(commit\b/.test(action) && /->ct_mark\b|NXM_NX_CT_MARK\[0\]/.test(action) && !/\b(resubmit|output|goto_table|controller)\b|table=/.test(action);
  if (!(action === 'drop' || action === '' || blockedConnection)) return undefined;
  const key = (reg: 'reg14' | 'reg15', text: string): bigint | undefined => {
    const v = new RegExp(`(?:^|[,\\s])${reg}=(0x[0-9a-f]+|\\d+)(?=[,\\s]|$)`).exec(text)?.[1];
    return v === undefined ? undefined : BigInt(v);
  };
  const clauses = drop.because.join(' ');
  const out = key('reg15', match) ?? key('reg15', clauses);
  const inp = key('reg14', match) ?? key('reg14', clauses);
  // Neutron's ACLs always name a port (group), and with conntrack in use the ACL stage's hint bits
  // guard them: a router policy's drop at a priority in the same range has neither.
  if (out === undefined && inp === undefined && !/(?:^|,)reg0=0x[24]00\/0x[24]00(?=,|$)/.test(match)) return undefined;
  let direction: OvnAclDrop['direction'];
  if (out !== undefined && inp === undefined) direction = 'to-lport';
  else if (inp !== undefined && out === undefined) direction = 'from-lport';
  else direction = outportChosenBefore(drop, steps) ? 'to-lport' : 'from-lport';
  const portKey = direction === 'to-lport' ? out : inp;
  return {
    direction,
    ...(portKey !== undefined ? { portKey } : {}),
    aclPriority,
    neutronDefaultDrop: aclPriority === NEUTRON_DROP_PRIORITY,
    blockedConnection,
  };
}

/** Whether an earlier step of the walk wrote the outport register: the drop is in the egress pipeline. */
function outportChosenBefore(drop: TraceStep, steps: readonly TraceStep[]): boolean {
  const i = steps.indexOf(drop);
  for (let j = i - 1; j >= 0; j--) {
    const s = steps[j];
    if (s?.layer === 'ovs' && s.bridge === drop.bridge && /->reg15\b|->NXM_NX_REG15\[/.test(s.action)) return true;
  }
  return false;
}

/** `priority=2001,ip,reg0=0x200/0x200,reg15=0x3,metadata=0x1` of a dump-flows line, without counters or actions. */
function matchPart(raw: string): string {
  const a = raw.indexOf(' actions=');
  const head = a === -1 ? raw : raw.slice(0, a);
  const p = head.search(/\bpriority=/);
  return (p === -1 ? head : head.slice(p)).trim();
}
