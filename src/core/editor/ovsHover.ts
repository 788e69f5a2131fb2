import { CT_STATE_FLAGS, OVS_PROTOCOL_SHORTHANDS, ovsFieldByAnyName, TCP_FLAGS } from '../ovs/OvsFieldTable';
import type { EditorHover } from './EditorHover';
import { editorRange, type EditorPosition } from './EditorRange';
import { formatBytes, formatDuration, formatPackets, groupDigits } from './humanUnits';
import { bridgeRoleOf, NEUTRON_CT_MARKS, NEUTRON_REGISTERS, neutronTableMeanings, type BridgeRole } from '../openstack/neutronOvsTables';
import { CT_STATE_FLAG_DOCS, OVS_ACTION_DOCS, OVS_FIELD_DOCS, OVS_STAT_DOCS, OVS_TRACE_DOCS } from './ovsDocs';
import { ovsFlowsView, stepAtLine } from './ovsView';
import type { EditorDocument } from './parseEditorDocument';
import { wordAt } from './wordAt';

/**
 * Hovers for `ovs-ofctl dump-flows` and `ofproto/trace` output: table numbers (with their Neutron
 * meaning on br-int / br-tun / physical bridges, and how many flows and packets the table has),
 * match fields and registers, ct_state flags, actions, statistics in human units, and the trace's
 * sections and verdict.
 */
const FLAG_NAMES = new Set([...CT_STATE_FLAGS, ...TCP_FLAGS].map((f) => f.name));

function tableHover(doc: EditorDocument, table: number, role: BridgeRole | undefined, bridge: string | undefined): string {
  const parts = [`**OpenFlow table ${table}**${bridge !== undefined ? ` of \`${bridge}\`` : ''}`];
  const meanings = neutronTableMeanings(table, role);
  const roleName: Readonly<Record<string, string>> = { int: 'br-int', tun: 'br-tun', phys: 'a physical bridge' };
  if (meanings.length === 1) parts.push(`Neutron \`${meanings[0]!.table.name}\`: ${meanings[0]!.table.meaning}`);
  else if (meanings.length > 1) parts.push(`If this is a Neutron OVS agent bridge, depending on which:\n\n${meanings.map((m) => `- ${roleName[m.role] ?? m.role} \`${m.table.name}\`: ${m.table.meaning}`).join('\n')}`);
  else if (role === 'ovn') parts.push('OVN pipeline table (ovn-controller numbers tables by logical pipeline stage; `ovn-sbctl lflow-list` shows the logical flows).');
  if (doc.kind === 'ovs-flows') {
    const g = ovsFlowsView(doc.dump, doc.bridge).byTable.get(table);
    if (!g) parts.push('**No flow in this dump is in this table**: a packet sent here matches nothing and is dropped (OpenFlow 1.1+ table miss).');
    else {
      const packets = g.flows.reduce((n, f) => n + (f.nPackets ?? 0), 0);
      parts.push(`${g.flows.length} flow${g.flows.length === 1 ? '' : 's'} (first on line ${g.flows[0]!.span.line}), ${groupDigits(packets)} packets matched in all.`);
    }
  }
  return parts.join('\n\n');
}

function fieldHover(name: string, value: string | undefined): string | undefined {
  const def = ovsFieldByAnyName(name);
  const canonical = def?.name ?? name;
  const text = OVS_FIELD_DOCS[canonical];
  const neutron = NEUTRON_REGISTERS[canonical];
  if (!def && text === undefined && neutron === undefined) return undefined;
  const parts = [`**\`${name}\`**${canonical !== name ? ` = \`${canonical}\`` : ''}`];
  if (text !== undefined) parts.push(text);
  if (neutron !== undefined) parts.push(neutron);
  if (def) {
    const names = [...def.aliases, def.nxm, def.oxm].filter((n): n is string => n !== undefined && n !== name);
    parts.push(`${def.bits} bits${def.maskable ? ', maskable' : ''}${def.prerequisites !== 'none' ? `, needs ${def.prerequisites}` : ''}${def.writable ? ', writable' : ''}${names.length > 0 ? ` · also ${names.map((n) => `\`${n}\``).join(', ')}` : ''}`);
  }
  if (value !== undefined) {
    if (canonical === 'ct_mark' && NEUTRON_CT_MARKS[value] !== undefined) parts.push(`\`${value}\`: ${NEUTRON_CT_MARKS[value]}`);
    if (canonical === 'reg5' && /^(0x[0-9a-f]+|\d+)$/i.test(value)) parts.push(`\`${value}\` = ofport ${Number(value)} (\`ovs-ofctl show br-int\` names it).`);
    if (canonical === 'vlan_tci') {
      const m = /^(0x[0-9a-f]+)(?:\/(0x[0-9a-f]+))?$/i.exec(value);
      if (m) {
        const v = Number(m[1]);
        const mask = m[2] !== undefined ? Number(m[2]) : 0xffff;
        const bits: string[] = [];
        if ((mask & 0x1000) !== 0) bits.push(`tag-present bit 0x1000 = ${(v & 0x1000) !== 0 ? 1 : 0}`);
        if ((mask & 0x0fff) !== 0) bits.push(`VID bits${(mask & 0x0fff) !== 0x0fff ? ` under mask 0x${(mask & 0x0fff).toString(16)}` : ''} = ${v & 0x0fff}`);
        if ((mask & 0xe000) !== 0) bits.push(`PCP = ${(v >> 13) & 7}`);
        if (bits.length > 0) parts.push(`\`${value}\`: ${bits.join(', ')}.`);
      }
    }
  }
  return parts.join('\n\n');
}

function flagsHover(word: string): string | undefined {
  const flags = [...word.matchAll(/([+-]?)([a-z]+)/g)];
  if (flags.length === 0 || !flags.every((f) => FLAG_NAMES.has(f[2]!))) return undefined;
  return `**Flags \`${word}\`**\n\n${flags.map((f) => `- ${f[1] === '-' ? 'not ' : ''}\`${f[2]!}\`${CT_STATE_FLAG_DOCS[f[2]!] !== undefined ? `: ${CT_STATE_FLAG_DOCS[f[2]!]!}` : ''}`).join('\n')}`;
}

function statValueHover(key: string, value: string): string | undefined {
  const doc = OVS_STAT_DOCS[key];
  if (doc === undefined) return undefined;
  let human = '';
  if (key === 'n_packets' || key === 'n_offload_packets') human = formatPackets(BigInt(value));
  else if (key === 'n_bytes' || key === 'n_offload_bytes') human = formatBytes(BigInt(value));
  else if (key === 'duration') human = formatDuration(Number(value.replace(/s$/, '')));
  else if (key === 'idle_age' || key === 'hard_age' || key === 'idle_timeout' || key === 'hard_timeout') human = formatDuration(Number(value));
  return `**\`${key}\`**${human ? `: ${human}` : ''}\n\n${doc}`;
}

export function ovsHover(doc: EditorDocument, pos: EditorPosition): EditorHover | undefined {
  if (doc.kind !== 'ovs-flows' && doc.kind !== 'ovs-trace') return undefined;
  const line = doc.lines.line(pos.line);
  const w = wordAt(line, pos.character, 'ovs');
  const range = w ? editorRange(pos.line, w.start, pos.line, w.end) : editorRange(pos.line, pos.character, pos.line, pos.character);
  const md = (markdown: string | undefined): EditorHover | undefined => (markdown ? { markdown, range } : undefined);

  // Bridge and role: dump-flows from the file name or the flows; a trace from the step's bridge.
  let bridge: string | undefined;
  let role: BridgeRole | undefined;
  if (doc.kind === 'ovs-flows') {
    bridge = doc.bridge;
    role = ovsFlowsView(doc.dump, doc.bridge).role;
  } else {
    const i = stepAtLine(doc.trace.steps, pos.line);
    bridge = (i >= 0 ? doc.trace.steps[i]!.bridge : undefined) ?? doc.trace.bridge;
    role = bridgeRoleOf(bridge, doc.trace.steps.map((s) => s.table), /\breg1[45]=/.test(doc.text) && /\bmetadata=/.test(doc.text));
  }

  if (doc.kind === 'ovs-trace') {
    const section = /^\s*(Flow|Final flow|Megaflow|Datapath actions|bridge|No match)\b/.exec(line);
    if (section && pos.character <= section[0].length) {
      return { markdown: `**${section[1]!}**\n\n${OVS_TRACE_DOCS[section[1]!]!}`, range: editorRange(pos.line, section.index + section[0].length - section[1]!.length, pos.line, section.index + section[0].length) };
    }
    if (/^\s*Datapath actions:\s*drop\s*$/.test(line)) return md(`**Verdict: dropped**\n\n${OVS_TRACE_DOCS['Datapath actions']!}`);
    const step = /^(\s*)(\d+)\.(?=\s|$)/.exec(line);
    if (step && pos.character >= step[1]!.length && pos.character <= step[0].length) {
      return { markdown: tableHover(doc, Number(step[2]), role, bridge), range: editorRange(pos.line, step[1]!.length, pos.line, step[0].length) };
    }
  }
  if (!w) return undefined;
  const word = w.text;
  const before = line.slice(0, w.start);
  const after = line.slice(w.end);
  const key = /([A-Za-z_][\w]*)=$/.exec(before)?.[1];

  // Table numbers: `table=71`, `resubmit(,71)`, `resubmit(2,71)`, `goto_table:60`, `ct(table=72)`.
  if (/^\d+$/.test(word) && (key === 'table' || key === 'table_id' || /resubmit\([^(),]*,$/.test(before) || /goto_table:$/.test(before))) {
    return md(tableHover(doc, Number(word), role, bridge));
  }
  if (key !== undefined && key !== 'actions') {
    const stat = statValueHover(key, word);
    if (stat) return md(stat);
    if (key === 'priority') return md(`**\`priority\`** ${word}\n\n${OVS_STAT_DOCS['priority']!}`);
    const flags = flagsHover(word);
    if (flags) return md(flags);
    return md(fieldHover(key, word));
  }
  if (after.startsWith('=')) {
    const stat = OVS_STAT_DOCS[word];
    if (stat !== undefined) return md(`**\`${word}\`**\n\n${stat}`);
    return md(fieldHover(word, /^=([^,\s)]*)/.exec(after)?.[1]));
  }
  const action = OVS_ACTION_DOCS[word];
  if (action !== undefined && (after.startsWith('(') || after.startsWith(':') || /(?:^|[=,\s(])$/.test(before))) return md(`**\`${word}\`** (action)\n\n${action}`);
  const shorthand = OVS_PROTOCOL_SHORTHANDS[word];
  if (shorthand) {
    return md(`**\`${word}\`**: \`eth_type=0x${shorthand.ethType.toString(16).padStart(4, '0')}\`${shorthand.nwProto !== undefined ? `, \`nw_proto=${shorthand.nwProto}\`` : ''}`);
  }
  const flags = flagsHover(word);
  if (flags && /[+-]/.test(word)) return md(flags);
  const stat = OVS_STAT_DOCS[word];
  if (stat !== undefined) return md(`**\`${word}\`**\n\n${stat}`);
  return md(fieldHover(word, undefined));
}
