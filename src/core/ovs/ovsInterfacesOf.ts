import type { Span } from '../text/Span';
import type { OvsdbList, OvsdbValue } from './parseOvsdbList';

/**
 * A row of OVS's Interface table, as far as naming ports goes: on an ML2/OVN (or OVS agent)
 * compute node the tap's `external_ids:iface-id` is the Neutron port id nova plugged it for, and
 * `attached-mac` its MAC; ovn-controller binds the logical port of that name to the tap.
 */
export interface OvsInterface {
  readonly name: string;
  /** Undefined when OVS has not assigned one (`[]`) or failed to (`-1`). */
  readonly ofport?: number;
  /** `""` (system: a tap or NIC), `internal`, `patch`, `geneve`... when the listing has the column. */
  readonly type?: string;
  readonly externalIds: Readonly<Record<string, string>>;
  readonly macInUse?: string;
  readonly raw: string;
  readonly span: Span;
}

/**
 * The Interface rows of an `ovs-vsctl list` dump; undefined when the dump is another table
 * (only Interface rows have `ofport`).
 */
export function ovsInterfacesOf(list: OvsdbList): OvsInterface[] | undefined {
  if (!list.headings.includes('ofport') || !list.headings.includes('name')) return undefined;
  const out: OvsInterface[] = [];
  for (const r of list.records) {
    const name = r.columns['name'];
    if (typeof name !== 'string') continue;
    const i: { -readonly [K in keyof OvsInterface]: OvsInterface[K] } = { name, externalIds: asMap(r.columns['external_ids']), raw: r.raw, span: r.span };
    const ofport = r.columns['ofport'];
    if (typeof ofport === 'number' && ofport >= 0) i.ofport = ofport;
    const type = r.columns['type'];
    if (typeof type === 'string') i.type = type;
    const mac = r.columns['mac_in_use'];
    if (typeof mac === 'string') i.macInUse = mac;
    out.push(i);
  }
  return out;
}

function asMap(v: OvsdbValue | undefined): Readonly<Record<string, string>> {
  // An empty map prints as `{}` (text) but an absent one as `[]` in some builds: both mean none.
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v as Readonly<Record<string, string>> : {};
}
