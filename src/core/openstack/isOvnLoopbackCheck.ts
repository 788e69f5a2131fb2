import type { TraceStep } from '../sim/TraceResult';

/**
 * Is this OVS step ovn-controller's loopback check, which drops the copy of a flooded packet meant
 * for the logical port it came in on (physical.c, OFTABLE_CHECK_LOOPBACK):
 * `priority=100,reg10=0/0x1,reg14=0x2,reg15=0x2,metadata=0x1 actions=drop` — the same key in the
 * inport (reg14) and outport (reg15) registers. Recognised from that shape, not the table number
 * (it moves between OVN versions). Such a drop is never the reason a packet did not arrive.
 */
export function isOvnLoopbackCheck(step: TraceStep): boolean {
  if (step.layer !== 'ovs' || step.raw === undefined) return false;
  const a = step.raw.indexOf(' actions=');
  const match = a === -1 ? step.raw : step.raw.slice(0, a);
  const inport = /(?:^|[,\s])reg14=(0x[0-9a-f]+|\d+)(?=[,\s]|$)/.exec(match)?.[1];
  const outport = /(?:^|[,\s])reg15=(0x[0-9a-f]+|\d+)(?=[,\s]|$)/.exec(match)?.[1];
  return inport !== undefined && outport !== undefined && BigInt(inport) === BigInt(outport) && /\bmetadata=/.test(match);
}
