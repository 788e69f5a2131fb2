import type { IpAddress } from '../net/IpAddress';
import type { Span } from '../text/Span';
import type { OvsFieldName, OvsReservedPortName } from './OvsFieldTable';
import type { MaskedValue, OvsPortName } from './OvsMatch';
import type { OvsSubfield } from './parseOvsSubfield';

/**
 * OVS actions (ovs-actions(7)) as a closed union, one member per behaviour the simulator must
 * tell apart. Every action keeps the name as written (`strip_vlan` and `pop_vlan` are both
 * `pop_vlan`), its exact text and span. Anything not modelled is `unknown` with its text and a
 * warning; `recognised` says whether OVS knows the action (e.g. `sample`) or not.
 */
export type OvsPortRef =
  | { readonly kind: 'number'; readonly number: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'reserved'; readonly name: OvsReservedPortName; readonly number: number }
  | { readonly kind: 'field'; readonly subfield: OvsSubfield };

interface Base {
  /** The action name as written (`mod_vlan_vid`, `strip_vlan`, `NORMAL`, `2` for a bare port). */
  readonly name: string;
  readonly raw: string;
  readonly span: Span;
}

/** `output:2`, `output:"patch-int"`, `output:NXM_NX_REG0[0..15]`, `LOCAL`, `IN_PORT`, `output(port=2,max_len=100)`, bare `2`. */
export interface OvsOutputAction extends Base { readonly kind: 'output'; readonly port: OvsPortRef; readonly maxLen?: number }
export interface OvsNormalAction extends Base { readonly kind: 'normal' }
export interface OvsFloodAction extends Base { readonly kind: 'flood' }
export interface OvsAllAction extends Base { readonly kind: 'all' }
/** `drop`, or an empty action list (`implicit`). */
export interface OvsDropAction extends Base { readonly kind: 'drop'; readonly implicit: boolean }
/** `CONTROLLER:65535`, `controller`, `controller(reason=no_match,max_len=128,userdata=..)`. */
export interface OvsControllerAction extends Base {
  readonly kind: 'controller';
  readonly maxLen?: number;
  readonly reason?: string;
  readonly controllerId?: number;
  readonly userdata?: string;
  readonly pause: boolean;
  readonly meterId?: number;
}
/** `enqueue:2:1` / `enqueue(2,1)`. */
export interface OvsEnqueueAction extends Base { readonly kind: 'enqueue'; readonly port: OvsPortRef; readonly queue: number }
/** `resubmit(,71)`, `resubmit(2,73)`, `resubmit:2`, `resubmit(,71,ct)`: port undefined = the packet's in_port, table undefined = this table. */
export interface OvsResubmitAction extends Base { readonly kind: 'resubmit'; readonly port?: OvsPortRef; readonly table?: number; readonly ct: boolean }
export interface OvsGotoTableAction extends Base { readonly kind: 'goto_table'; readonly table: number }
/** `mod_vlan_vid:5` (pushes a tag if none) or `set_vlan_vid:5` (OpenFlow 1.1 semantics, no push). */
export interface OvsModVlanVidAction extends Base { readonly kind: 'mod_vlan_vid'; readonly vid: number; readonly pushIfMissing: boolean }
export interface OvsModVlanPcpAction extends Base { readonly kind: 'mod_vlan_pcp'; readonly pcp: number; readonly pushIfMissing: boolean }
/** `strip_vlan` or `pop_vlan`. */
export interface OvsPopVlanAction extends Base { readonly kind: 'pop_vlan' }
export interface OvsPushVlanAction extends Base { readonly kind: 'push_vlan'; readonly ethertype: number }
/** `set_field:4101->vlan_vid`, `set_field:0x1/0x1->ct_label`. */
export interface OvsSetFieldAction extends Base {
  readonly kind: 'set_field';
  /** Canonical field; `undefined` if the name is unknown (then `value` is absent too). */
  readonly field: OvsFieldName | undefined;
  readonly fieldAsWritten: string;
  readonly value?: MaskedValue | OvsPortName;
  readonly valueText: string;
}
/** `load:0x4->NXM_NX_REG5[]`. */
export interface OvsLoadAction extends Base { readonly kind: 'load'; readonly value: bigint; readonly dst: OvsSubfield }
/** `move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[]`. */
export interface OvsMoveAction extends Base { readonly kind: 'move'; readonly src: OvsSubfield; readonly dst: OvsSubfield }
export interface OvsModDlAction extends Base { readonly kind: 'mod_dl_src' | 'mod_dl_dst'; readonly mac: bigint }
export interface OvsModNwAction extends Base { readonly kind: 'mod_nw_src' | 'mod_nw_dst'; readonly ip: IpAddress }
export interface OvsModTpAction extends Base { readonly kind: 'mod_tp_src' | 'mod_tp_dst'; readonly port: number }
export interface OvsModNwByteAction extends Base { readonly kind: 'mod_nw_tos' | 'mod_nw_ecn' | 'mod_nw_ttl'; readonly value: number }
/** `dec_ttl` or `dec_ttl(1,2)` (controller ids to notify when the TTL expires). */
export interface OvsDecTtlAction extends Base { readonly kind: 'dec_ttl'; readonly controllerIds: readonly number[] }
/** `set_tunnel:0x5`, `set_tunnel64:0x123456789`. */
export interface OvsSetTunnelAction extends Base { readonly kind: 'set_tunnel'; readonly tunnelId: bigint; readonly is64: boolean }
export interface OvsSetQueueAction extends Base { readonly kind: 'set_queue'; readonly queue: number }
export interface OvsPopQueueAction extends Base { readonly kind: 'pop_queue' }

/** `nat`, `nat(src=10.0.0.1-10.0.0.9:1000-2000,random)`, `nat(dst=[fe80::1]:80)` inside `ct(...)`. */
export interface OvsNat {
  /** Absent for a bare `nat` (apply the connection's existing NAT). */
  readonly type?: 'src' | 'dst';
  readonly addrMin?: IpAddress;
  readonly addrMax?: IpAddress;
  readonly portMin?: number;
  readonly portMax?: number;
  readonly flags: readonly ('persistent' | 'hash' | 'random')[];
  readonly text: string;
}

/** `ct(commit,zone=NXM_NX_REG6[0..15],table=72,nat(...),exec(set_field:0x1->ct_mark))`. */
export interface OvsCtAction extends Base {
  readonly kind: 'ct';
  readonly commit: boolean;
  readonly force: boolean;
  /** Recirculate to this table after conntrack; absent means no recirculation. */
  readonly table?: number;
  /** Immediate zone (`zone=5`); absent with `zoneField` or for zone 0. */
  readonly zone?: number;
  /** Zone taken from a field (`zone=NXM_NX_REG6[0..15]`). */
  readonly zoneField?: OvsSubfield;
  readonly nat?: OvsNat;
  readonly exec: readonly OvsAction[];
  readonly alg?: string;
}
export interface OvsCtClearAction extends Base { readonly kind: 'ct_clear' }

/** One spec of `learn(...)`; anything not read is kept as `text` (kind `unparsed`). */
export type OvsLearnSpec =
  | { readonly kind: 'match'; readonly dst: OvsSubfield; readonly src?: OvsSubfield; readonly value?: string; readonly text: string }
  | { readonly kind: 'load'; readonly dst: OvsSubfield; readonly src?: OvsSubfield; readonly value?: bigint; readonly text: string }
  | { readonly kind: 'output'; readonly src: OvsSubfield; readonly text: string }
  | { readonly kind: 'unparsed'; readonly text: string };

/** `learn(table=20,hard_timeout=300,priority=1,cookie=..,NXM_OF_VLAN_TCI[0..11],...)`: recorded, never applied by the simulator. */
export interface OvsLearnAction extends Base {
  readonly kind: 'learn';
  readonly table?: number;
  readonly priority?: number;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
  readonly finIdleTimeout?: number;
  readonly finHardTimeout?: number;
  readonly cookie?: bigint;
  readonly limit?: number;
  readonly flags: readonly string[];
  readonly specs: readonly OvsLearnSpec[];
  /** The text between the parentheses. */
  readonly text: string;
}
/** `conjunction(9,1/2)`: clause `clause` of `nClauses` of conjunction `id`. */
export interface OvsConjunctionAction extends Base { readonly kind: 'conjunction'; readonly id: number; readonly clause: number; readonly nClauses: number }
/** `note:aa.bb.cc.00.00.00`: bytes in hex, OVS pads to 6-byte multiples. */
export interface OvsNoteAction extends Base { readonly kind: 'note'; readonly hex: string }
export interface OvsWriteMetadataAction extends Base { readonly kind: 'write_metadata'; readonly value: bigint; readonly mask: bigint }
export interface OvsWriteActionsAction extends Base { readonly kind: 'write_actions'; readonly actions: readonly OvsAction[] }
export interface OvsClearActionsAction extends Base { readonly kind: 'clear_actions' }
export interface OvsCloneAction extends Base { readonly kind: 'clone'; readonly actions: readonly OvsAction[] }
export interface OvsGroupAction extends Base { readonly kind: 'group'; readonly groupId: number }
export interface OvsMeterAction extends Base { readonly kind: 'meter'; readonly meterId: number }
/** `multipath(eth_src,50,modulo_n,1,0,NXM_NX_REG0[0..15])`. */
export interface OvsMultipathAction extends Base {
  readonly kind: 'multipath';
  readonly fields: string; readonly basis: number; readonly algorithm: string;
  readonly nLinks: number; readonly arg: number; readonly dst: OvsSubfield;
}
/** `bundle(eth_src,0,active_backup,ofport,members:1,2)` / `bundle_load(...,NXM_NX_REG0[],members:1,2)`. */
export interface OvsBundleAction extends Base {
  readonly kind: 'bundle';
  readonly load: boolean;
  readonly fields: string; readonly basis: number; readonly algorithm: string; readonly memberType: string;
  readonly dst?: OvsSubfield;
  readonly members: readonly OvsPortRef[];
}
/** `check_pkt_larger(1500)->NXM_NX_REG0[0]`. */
export interface OvsCheckPktLargerAction extends Base { readonly kind: 'check_pkt_larger'; readonly pktLen: number; readonly dst: OvsSubfield }
export interface OvsExitAction extends Base { readonly kind: 'exit' }
/** `push:NXM_NX_REG14[]` / `pop:NXM_NX_REG14[]`: the OVS register stack (OVN saves registers with it). */
export interface OvsStackAction extends Base { readonly kind: 'stack_push' | 'stack_pop'; readonly field: OvsSubfield }
/** Anything else, kept with its text and warned: the simulator treats it as indeterminate. */
export interface OvsUnknownAction extends Base {
  readonly kind: 'unknown';
  /** True for real OVS actions this model does not cover (`sample`, `push_mpls`...). */
  readonly recognised: boolean;
  readonly args: string;
}

export type OvsAction =
  | OvsOutputAction | OvsNormalAction | OvsFloodAction | OvsAllAction | OvsDropAction | OvsControllerAction
  | OvsEnqueueAction | OvsResubmitAction | OvsGotoTableAction
  | OvsModVlanVidAction | OvsModVlanPcpAction | OvsPopVlanAction | OvsPushVlanAction
  | OvsSetFieldAction | OvsLoadAction | OvsMoveAction
  | OvsModDlAction | OvsModNwAction | OvsModTpAction | OvsModNwByteAction | OvsDecTtlAction
  | OvsSetTunnelAction | OvsSetQueueAction | OvsPopQueueAction
  | OvsCtAction | OvsCtClearAction | OvsLearnAction | OvsConjunctionAction | OvsNoteAction
  | OvsWriteMetadataAction | OvsWriteActionsAction | OvsClearActionsAction | OvsCloneAction
  | OvsGroupAction | OvsMeterAction | OvsMultipathAction | OvsBundleAction | OvsCheckPktLargerAction
  | OvsExitAction | OvsStackAction | OvsUnknownAction;

export type OvsActionKind = OvsAction['kind'];
