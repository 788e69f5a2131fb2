import type { Span } from '../text/Span';
import type { OvsFieldName } from './OvsFieldTable';

/**
 * A value under a mask, as OVS matches every field: a packet field `f` matches when
 * `(f & mask) === (value & mask)`. An exact match has the field's all-ones mask; `mask === 0n`
 * never appears for a written field (OVS drops fully wildcarded fields).
 */
export interface MaskedValue {
  readonly value: bigint;
  readonly mask: bigint;
}

/**
 * A port written by name (`in_port="tap648437e1-0d"`, `--names` output). It stays unresolved
 * text here; `ovs-ofctl show` of the same bridge maps it to an ofport.
 */
export interface OvsPortName {
  readonly portName: string;
}

export function isPortName(v: MaskedValue | OvsPortName): v is OvsPortName {
  return (v as OvsPortName).portName !== undefined;
}

/** One `name=value` of a match, with the field resolved to its canonical ovs-fields(7) name. */
export interface OvsMatchField {
  readonly field: OvsFieldName;
  readonly value: MaskedValue | OvsPortName;
  /** The value as written (`10.0.0.0/24`, `+trk-new`, `"int-br-mgmt"`); for shorthands the keyword. */
  readonly text: string;
  /** The name as written: `dl_src`, `tp_dst`, `NXM_NX_REG0[0..15]`, or the shorthand `tcp`. */
  readonly nameAsWritten: string;
  /** Set when the field comes from a protocol keyword (`tcp` gives eth_type and nw_proto). */
  readonly shorthand?: string;
  /** The whole item as written (`tp_dst=22`, `tcp`). */
  readonly raw: string;
  readonly span: Span;
}

/** A match item that could not be read; kept so a flow is never silently widened. */
export interface OvsUnreadMatchItem {
  readonly reason: 'unknown-field' | 'bad-value';
  readonly name: string;
  readonly text: string;
  readonly raw: string;
  readonly span: Span;
}

export interface OvsMatch {
  /** Fields in the order written. Empty for a catch-all match. */
  readonly fields: readonly OvsMatchField[];
  /** Items that were not understood: a simulator must treat the flow as indeterminate. */
  readonly unread: readonly OvsUnreadMatchItem[];
  /** `priority=N` when the text carried one (flow specs and dump-flows lines do). */
  readonly priority?: number;
  readonly raw: string;
  readonly span: Span;
}

/** The first field with this canonical name, if any. */
export function ovsMatchField(match: OvsMatch, field: OvsFieldName): OvsMatchField | undefined {
  return match.fields.find((f) => f.field === field);
}
