import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import { CappedDiagnosticSink, MAX_LINE_LENGTH, tooLong } from '../iptables/CappedDiagnosticSink';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine, type Span } from '../text/Span';
import type { IpSet, IpSetMember, IpsetDump } from './IpsetModel';
import { familyOfSet, readIpsetCreateOptions, readIpsetMember } from './readIpsetMember';

interface SetBuilder {
  name: string;
  type: string;
  header: string;
  options: Record<string, string>;
  members: IpSetMember[];
  raw: string;
  span: Span;
}

/**
 * `ipset save` output: `create NIPv4fd3a... hash:net family inet hashsize 1024 maxelem 65536`,
 * then `add NIPv4fd3a... 10.1.26.136`. The ipset 4 syntax (`-N name nethash`, `-A name 1.2.3.4`,
 * `COMMIT`) is read too. An `add` to a set never created keeps the member in a set of unknown
 * type (warning); an unreadable line is an error with its position, the rest is kept.
 */
export function parseIpsetSave(text: string, opts: ParseOptions): ParseResult<IpsetDump> {
  const sink = new CappedDiagnosticSink(opts.file);
  const sets = new Map<string, SetBuilder>();
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not `ipset save` text; nothing read');
    return { value: { format: 'ipset-save', sets: [] }, diagnostics: sink.diagnostics };
  }
  for (const line of iterateLines(text)) {
    const s = line.text;
    const trimmed = s.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed === 'COMMIT') continue;
    if (trimmed.length > MAX_LINE_LENGTH) {
      sink.error(line.number, tooLong(trimmed.length), s);
      continue;
    }
    const start = s.indexOf(trimmed);
    const span = spanInLine(opts.file, line.number, line.offset, start, start + trimmed.length);
    const m = /^(create|add|-N|-A)\s+(\S+)(?:\s+(.*))?$/.exec(trimmed);
    if (!m) {
      const cmd = /^(\S+)/.exec(trimmed)?.[1] ?? '';
      if (['flush', 'destroy', 'del', '-F', '-X', '-D', 'swap', 'rename'].includes(cmd)) sink.warning(line.number, `command ${cmd} changes sets and is not replayed from a dump; line skipped`, s, start + 1);
      else sink.error(line.number, 'not an `ipset save` line (expected create or add); line ignored', s, start + 1);
      continue;
    }
    const [, cmd, name, rest = ''] = m;
    if (cmd === 'create' || cmd === '-N') {
      if (sets.has(name!)) {
        sink.warning(line.number, `set ${name} created twice; the first is kept, members are merged`, s, start + 1);
        continue;
      }
      const sp = rest.search(/\s/);
      const type = sp === -1 ? rest : rest.slice(0, sp);
      const header = sp === -1 ? '' : rest.slice(sp).trim();
      if (type === '') {
        sink.error(line.number, `create ${name} has no set type; set kept with type unknown`, s, start + 1);
      }
      sets.set(name!, { name: name!, type: type || 'unknown', header, options: readIpsetCreateOptions(header), members: [], raw: trimmed, span });
      continue;
    }
    let set = sets.get(name!);
    if (!set) {
      sink.warning(line.number, `add to set ${name} that was not created in this dump (partial paste?); kept in a set of unknown type`, s, start + 1);
      set = { name: name!, type: 'unknown', header: '', options: {}, members: [], raw: trimmed, span };
      sets.set(name!, set);
    }
    if (rest === '') {
      sink.error(line.number, `add ${name} has no entry; line ignored`, s, start + 1);
      continue;
    }
    set.members.push(readIpsetMember(rest, set.type, trimmed, span));
  }
  const out: IpSet[] = [];
  for (const b of sets.values()) {
    const set: { -readonly [K in keyof IpSet]: IpSet[K] } = { name: b.name, type: b.type, header: b.header, options: b.options, members: b.members, raw: b.raw, span: b.span };
    const family = familyOfSet(b.type, b.options, b.members);
    if (family !== undefined) set.family = family;
    out.push(set);
  }
  sink.finish();
  return { value: { format: 'ipset-save', sets: out }, diagnostics: sink.diagnostics };
}
