import { IP_PROTOCOL_NUMBERS } from '../iptables/iptablesNames';
import { decodeChainName } from '../openstack/decodeChainName';
import { decodeDeviceName } from '../openstack/decodeDeviceName';
import { EBTABLES_OPTION_DOCS, EBTABLES_TABLE_DOCS, EBTABLES_TARGET_DOCS } from './ebtablesDocs';
import type { EditorHover } from './EditorHover';
import { editorRange, rangeContains, type EditorPosition, type EditorRange } from './EditorRange';
import { formatBytes, formatPackets, parseListCounter } from './humanUnits';
import {
  CTSTATE_DOCS, IPTABLES_BUILTIN_CHAIN_DOCS, IPTABLES_GENERIC_OPTION_DOCS, IPTABLES_MATCH_DOCS, IPTABLES_OPTION_DOCS,
  IPTABLES_TABLE_DOCS, IPTABLES_TARGET_DOCS, IPTABLES_TARGET_OPTION_DOCS, LIST_KEY_DOCS, LIST_WORD_MODULES, type Doc,
} from './iptablesDocs';
import { chainKey, findChains, netfilterAtLine, netfilterView, type NetfilterView, type NfChain } from './netfilterView';
import { explainNeutronComment } from '../openstack/neutronRuleComments';
import type { EditorDocument } from './parseEditorDocument';
import { lineTokens, netfilterWordAt, type WordAt } from './wordAt';

/**
 * Hovers for iptables and ebtables dumps: match modules and their options, targets, chains (with
 * Neutron / libvirt names decoded, rule and jump counts, counters), interface names, connection
 * states, Neutron rule comments and counters in human units. Markdown, for VS Code's hover.
 */
type NfKind = 'iptables' | 'ebtables';

const docMd = (d: Doc): string => `**${d.title}**\n\n${d.text}`;
const TARGET_OPTIONS = new Set(['-j', '--jump', '-g', '--goto']);
const INTERFACE_OPTIONS = new Set(['-i', '-o', '--in-interface', '--out-interface', '--physdev-in', '--physdev-out', '--logical-in', '--logical-out']);
const PROTOCOL_OPTIONS = new Set(['-p', '--protocol', '--ip-proto', '--ip-protocol']);
const STATE_WORDS = new Set(['--ctstate', '--state', 'state', 'ctstate']);
const PROTOCOL_BY_NUMBER = new Map(Object.entries(IP_PROTOCOL_NUMBERS).map(([k, v]) => [v, k]));

function chainHover(view: NetfilterView, chains: readonly NfChain[], kind: NfKind): string {
  const c = chains[0]!;
  const parts: string[] = [`**Chain \`${c.name}\`** (table ${c.table})`];
  const decoded = decodeChainName(c.name);
  if (decoded) {
    const device = decoded.devicePrefix !== undefined ? ` (device \`${decoded.devicePrefix}…\`)` : decoded.device !== undefined && decoded.device !== decoded.port ? ` (device \`${decoded.device}\`)` : '';
    const port = decoded.port !== undefined ? `\n\nPort: \`${decoded.port}\`${device}` : '';
    parts.push(`${decoded.meaning}${port}\n\n_Written by ${decoded.owner}._`);
  } else if (c.builtin && kind === 'iptables' && IPTABLES_BUILTIN_CHAIN_DOCS[c.name] !== undefined) {
    parts.push(`Built-in chain: ${IPTABLES_BUILTIN_CHAIN_DOCS[c.name]!}`);
  }
  const callers = view.callers.get(chainKey(c.table, c.name)) ?? [];
  const facts = [`${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`];
  if (c.policy !== undefined && c.policy !== '-') facts.push(`policy **${c.policy}**`);
  if (!c.builtin) facts.push(`${callers.length} rule${callers.length === 1 ? ' jumps' : 's jump'} here`);
  if (c.printedReferences !== undefined) facts.push(`${c.printedReferences} references`);
  facts.push(`declared on line ${c.span.line}`);
  parts.push(facts.join(' · '));
  let packets = 0n;
  let bytes = 0n;
  let counted = false;
  for (const r of callers) {
    if (!r.counters) continue;
    counted = true;
    packets += r.counters.packets;
    bytes += r.counters.bytes;
  }
  if (counted) parts.push(`Entered by ${formatPackets(packets)}, ${formatBytes(bytes)} (sum of the jumping rules' counters)`);
  // User chains have no policy: iptables-save prints `[0:0]` for them whatever the traffic.
  if (c.counters && c.builtin) parts.push(`Policy counters: ${formatPackets(c.counters.packets)}, ${formatBytes(c.counters.bytes)} (packets that reached the end of the chain)`);
  if (chains.length > 1) parts.push(`Also in table${chains.length > 2 ? 's' : ''} ${chains.slice(1).map((x) => x.table).join(', ')}.`);
  return parts.join('\n\n');
}

/** The quoted `--comment "..."` or `/* ... *\/` the cursor is in, if any. */
function commentAt(line: string, character: number): { text: string; start: number; end: number } | undefined {
  const patterns = [/--comment\s+"((?:[^"\\]|\\.)*)"/g, /\/\*\s?(.*?)\s?\*\//g];
  for (const re of patterns) {
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const start = m.index;
      const end = m.index + m[0].length;
      if (character >= start && character <= end) return { text: (m[1] ?? '').replace(/\\"/g, '"'), start, end };
    }
  }
  return undefined;
}

function optionDoc(kind: NfKind, tokens: readonly WordAt[], idx: number, option: string): string | undefined {
  if (kind === 'ebtables') {
    const d = EBTABLES_OPTION_DOCS[option];
    return d ? `**\`${option}\`**\n\n${d}` : undefined;
  }
  // The option belongs to the closest `-m MODULE` (or `-j TARGET`) before it.
  for (let i = idx - 1; i > 0; i--) {
    const prev = tokens[i - 1]!.text;
    const name = tokens[i]!.text;
    if (prev === '-m' || prev === '--match') {
      const d = IPTABLES_OPTION_DOCS[name]?.[option];
      if (d) return `**\`${option}\`** (\`-m ${name}\`)\n\n${d}`;
      break;
    }
    if (TARGET_OPTIONS.has(prev)) {
      const d = IPTABLES_TARGET_OPTION_DOCS[name]?.[option];
      if (d) return `**\`${option}\`** (target ${name})\n\n${d}`;
      break;
    }
  }
  for (const [module, options] of Object.entries(IPTABLES_OPTION_DOCS)) {
    const d = options[option];
    if (d) return `**\`${option}\`** (\`-m ${module}\`)\n\n${d}`;
  }
  const g = IPTABLES_GENERIC_OPTION_DOCS[option];
  return g ? docMd(g) : undefined;
}

function targetDoc(kind: NfKind, name: string): string | undefined {
  const d = kind === 'iptables' ? IPTABLES_TARGET_DOCS[name] : EBTABLES_TARGET_DOCS[name];
  return d ? docMd(d) : undefined;
}

function stateDoc(word: string): string | undefined {
  const states = word.replace(/^!/, '').split(',');
  if (!states.every((s) => CTSTATE_DOCS[s] !== undefined)) return undefined;
  return `**Connection state${states.length > 1 ? 's' : ''}**\n\n${states.map((s) => `- \`${s}\`: ${CTSTATE_DOCS[s]!}`).join('\n')}`;
}

function protocolDoc(word: string): string | undefined {
  const w = word.replace(/^!/, '').toLowerCase();
  const n = /^\d+$/.test(w) ? Number(w) : IP_PROTOCOL_NUMBERS[w];
  if (n === undefined) return undefined;
  const name = PROTOCOL_BY_NUMBER.get(n) ?? w;
  const vrrp = n === 112 ? '\n\nVRRP is what keepalived speaks: a VIP\'s advertisements must be allowed (a security group rule for protocol 112) or every node becomes MASTER.' : '';
  return `**IP protocol ${n}** (\`${name}\`)${vrrp}`;
}

function deviceDoc(word: string): string | undefined {
  const name = word.replace(/^!/, '');
  const d = decodeDeviceName(name);
  if (!d) return undefined;
  const id = d.id ? `\n\nNeutron ${d.id.kind} id starts with \`${d.id.prefix}\`.` : d.vni !== undefined ? `\n\nVXLAN network identifier (segmentation id) ${d.vni}.` : '';
  return `**Interface \`${name}\`**\n\n${d.meaning.charAt(0).toUpperCase()}${d.meaning.slice(1)}.${id}`;
}

/** `[12:840]`, `-c 12 840`, ebtables `pcnt = 12 -- bcnt = 840`. */
function countersDoc(word: string, tokens: readonly WordAt[], idx: number): string | undefined {
  const m = /^\[(\d+):(\d+)\]$/.exec(word);
  if (m) return `**Counters** \`[packets:bytes]\`\n\n${formatPackets(BigInt(m[1]!))}, ${formatBytes(BigInt(m[2]!))} matched this rule since the counters were last zeroed.`;
  if (!/^\d+$/.test(word)) return undefined;
  const b1 = tokens[idx - 1]?.text;
  const b2 = tokens[idx - 2]?.text;
  if (b1 === '-c' && /^\d+$/.test(tokens[idx + 1]?.text ?? '')) return `**Counters** \`-c packets bytes\`\n\n${formatPackets(BigInt(word))}, ${formatBytes(BigInt(tokens[idx + 1]!.text))}.`;
  if (b2 === '-c' && /^\d+$/.test(b1 ?? '')) return `**Counters** \`-c packets bytes\`\n\n${formatPackets(BigInt(b1!))}, ${formatBytes(BigInt(word))}.`;
  if (b1 === '=' && b2 === 'pcnt') return `**Packet counter**\n\n${formatPackets(BigInt(word))} matched this rule.`;
  if (b1 === '=' && b2 === 'bcnt') return `**Byte counter**\n\n${formatBytes(BigInt(word))} matched this rule.`;
  return undefined;
}

export function netfilterHover(doc: EditorDocument, pos: EditorPosition): EditorHover | undefined {
  if (doc.kind !== 'iptables' && doc.kind !== 'ebtables') return undefined;
  const kind: NfKind = doc.kind;
  const view = netfilterView(doc);
  if (!view) return undefined;
  const line = doc.lines.line(pos.line);
  const here = (start: number, end: number): EditorRange => editorRange(pos.line, start, pos.line, end);

  const comment = commentAt(line, pos.character);
  if (comment) {
    const explained = explainNeutronComment(comment.text);
    if (explained) return { markdown: `**Neutron rule comment**\n\n> ${comment.text}\n\n${explained}`, range: here(comment.start, comment.end) };
  }

  const w = netfilterWordAt(line, pos.character);
  if (!w) return undefined;
  const range = here(w.start, w.end);
  const md = (markdown: string | undefined): EditorHover | undefined => (markdown ? { markdown, range } : undefined);
  const tokens = lineTokens(line);
  const idx = tokens.findIndex((t) => t.start <= w.start && w.end <= t.end);
  const prev = tokens[idx - 1]?.text;
  const word = w.text;
  const at = netfilterAtLine(view, pos.line);

  const counters = countersDoc(word, tokens, idx);
  if (counters) return md(counters);

  // `iptables -L -v` rows (`[num] pkts bytes target ...`) and chain headers: possibly rounded counters.
  const rule = at?.rule;
  const targetStart = rule?.targetRange?.start.character;
  if (rule?.counters && targetStart !== undefined && parseListCounter(word) !== undefined && w.end <= targetStart) {
    const numeric = tokens.filter((t) => t.end <= targetStart).length;
    if (numeric === 3 && idx === 0) return md(`**Rule ${word}** of chain ${rule.chain} (\`--line-numbers\`)`);
    return md(`**Rule counters**\n\n${formatPackets(rule.counters.packets)}, ${formatBytes(rule.counters.bytes)}${rule.counters.approximate ? ' (rounded: `iptables -L` without `-x` prints K/M/G)' : ''}`);
  }
  if (at?.chain && !rule && at.chain.counters && parseListCounter(word) !== undefined && line.startsWith('Chain ')) {
    const c = at.chain.counters;
    return md(`**Policy counters of ${at.chain.name}**\n\nPackets that reached the end of the chain: ${formatPackets(c.packets)}, ${formatBytes(c.bytes)}${c.approximate ? ' (rounded)' : ''}`);
  }

  if (prev === '-m' || prev === '--match') {
    const d = IPTABLES_MATCH_DOCS[word];
    if (d) return md(docMd(d));
  }
  const onTarget = (prev !== undefined && TARGET_OPTIONS.has(prev))
    || (rule?.targetRange !== undefined && rangeContains(rule.targetRange, pos))
    || prev === 'policy:' || prev === 'policy'
    || /^(?::|-P\s+)\S+\s+$/.test(line.slice(0, w.start).trimStart())
    || (kind === 'ebtables' && /^--\w+-target$/.test(prev ?? ''));
  if (onTarget) {
    const d = targetDoc(kind, word);
    if (d) return md(d);
  }
  const chains = findChains(view, word, at?.table.name);
  if (chains.length > 0) return md(chainHover(view, chains, kind));

  if (prev !== undefined && INTERFACE_OPTIONS.has(prev)) {
    const d = deviceDoc(word);
    if (d) return md(d);
  }
  if (prev !== undefined && STATE_WORDS.has(prev)) {
    const d = stateDoc(word);
    if (d) return md(d);
  }
  const protocolOption = prev !== undefined && (PROTOCOL_OPTIONS.has(prev) || (prev === '!' && PROTOCOL_OPTIONS.has(tokens[idx - 2]?.text ?? '')));
  if (protocolOption) {
    const ethertype = kind === 'ebtables' && !(prev ?? '').startsWith('--ip');
    const d = ethertype ? `**Ethernet protocol \`${word}\`**\n\n${EBTABLES_OPTION_DOCS['-p']!}` : protocolDoc(word);
    if (d) return md(d);
  }
  if (word.startsWith('-') && word.length > 1) {
    const d = optionDoc(kind, tokens, idx, word);
    if (d) return md(d);
  }
  // Table headers: `*filter`, `Bridge table: nat`.
  const table = /^\*(\w+)$/.exec(word)?.[1] ?? (prev === 'table:' ? word : undefined);
  if (table !== undefined) {
    const d = kind === 'iptables' ? IPTABLES_TABLE_DOCS[table] : EBTABLES_TABLE_DOCS[table];
    if (d) return md(docMd(d));
  }
  if (kind === 'iptables') {
    // The options column of `iptables -L`: `PHYSDEV match`, `state`, `dpt:22`.
    const module = LIST_WORD_MODULES[word];
    const moduleDoc = module !== undefined ? IPTABLES_MATCH_DOCS[module] : undefined;
    if (moduleDoc) return md(docMd(moduleDoc));
    const key = /^([a-z-]+):(\S*)$/.exec(word);
    const keyDoc = key ? LIST_KEY_DOCS[key[1]!] : undefined;
    if (key && keyDoc !== undefined) return md(`**\`${key[1]!}:\`** ${keyDoc}${key[2] ? `: \`${key[2]}\`` : ''}`);
    const builtin = IPTABLES_BUILTIN_CHAIN_DOCS[word];
    if (builtin !== undefined) return md(`**${word}**\n\n${builtin}`);
  }
  if (/^!?[A-Z,]+$/.test(word)) {
    const d = stateDoc(word);
    if (d) return md(d);
  }
  const target = targetDoc(kind, word);
  if (target) return md(target);
  const device = decodeDeviceName(word.replace(/^!/, ''));
  if (device?.id !== undefined || device?.vni !== undefined) return md(deviceDoc(word));
  return undefined;
}
