import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import { CappedDiagnosticSink, MAX_LINE_LENGTH, tooLong } from '../iptables/CappedDiagnosticSink';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine, type Span } from '../text/Span';
import type { IpSet, IpSetMember, IpsetDump } from './IpsetModel';
import { familyOfSet, readIpsetCreateOptions, readIpsetMember } from './readIpsetMember';

interface Block {
  name: string;
  nameLine: number;
  type: string;
  header: string;
  fields: Record<string, string>;
  members: IpSetMember[];
  inMembers: boolean;
  startOffset: number;
  startLine: number;
  startColumn: number;
  endOffset: number;
  endLine: number;
  endColumn: number;
}

/**
 * `ipset list [-t]` output, one block per set:
 * `Name: NIPv4fd3a...` / `Type: hash:net` / `Revision: 7` / `Header: family inet hashsize 1024 ...` /
 * `Size in memory: 552` / `References: 1` / `Number of entries: 2` / `Members:` / one member per line.
 * A set's span covers its whole block. A count that disagrees with the members listed is a
 * warning (a truncated paste); unreadable lines are errors with their position, the rest is kept.
 */
export function parseIpsetList(text: string, opts: ParseOptions): ParseResult<IpsetDump> {
  const sink = new CappedDiagnosticSink(opts.file);
  const sets: IpSet[] = [];
  let b: Block | undefined;
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not `ipset list` text; nothing read');
    return { value: { format: 'ipset-list', sets: [] }, diagnostics: sink.diagnostics };
  }

  const close = (): void => {
    if (!b) return;
    const span: Span = { file: opts.file, line: b.startLine, column: b.startColumn, endLine: b.endLine, endColumn: b.endColumn, offset: b.startOffset, endOffset: b.endOffset };
    const options = readIpsetCreateOptions(b.header);
    const set: { -readonly [K in keyof IpSet]: IpSet[K] } = {
      name: b.name, type: b.type || 'unknown', header: b.header, options, fields: b.fields, members: b.members,
      raw: text.slice(b.startOffset, b.endOffset), span,
    };
    if (!b.type) sink.warning(b.nameLine, `set ${b.name} has no Type: line; type unknown`);
    const family = familyOfSet(set.type, options, b.members);
    if (family !== undefined) set.family = family;
    const count = b.fields['Number of entries'];
    if (count !== undefined && b.inMembers && Number(count) !== b.members.length) {
      sink.warning(b.nameLine, `set ${b.name} says ${count} entries but lists ${b.members.length} (truncated output?)`);
    }
    sets.push(set);
    b = undefined;
  };

  for (const line of iterateLines(text)) {
    const s = line.text;
    const trimmed = s.trim();
    if (trimmed === '') {
      // A blank line ends a set's members; header lines never contain one.
      if (b?.inMembers) close();
      continue;
    }
    if (trimmed.length > MAX_LINE_LENGTH) {
      sink.error(line.number, tooLong(trimmed.length), s);
      continue;
    }
    const start = s.indexOf(trimmed);
    const extend = (): void => {
      if (!b) return;
      b.endOffset = line.offset + start + trimmed.length;
      b.endLine = line.number;
      b.endColumn = start + trimmed.length + 1;
    };
    const nm = /^Name:\s*(\S+)\s*$/.exec(trimmed);
    if (nm) {
      close();
      b = {
        name: nm[1]!, nameLine: line.number, type: '', header: '', fields: {}, members: [], inMembers: false,
        startOffset: line.offset + start, startLine: line.number, startColumn: start + 1,
        endOffset: line.offset + start + trimmed.length, endLine: line.number, endColumn: start + trimmed.length + 1,
      };
      continue;
    }
    if (!b) {
      sink.error(line.number, 'text before the first `Name:` line; line ignored', s, start + 1);
      continue;
    }
    if (b.inMembers) {
      const span = spanInLine(opts.file, line.number, line.offset, start, start + trimmed.length);
      b.members.push(readIpsetMember(trimmed, b.type, trimmed, span));
      extend();
      continue;
    }
    if (trimmed === 'Members:') {
      b.inMembers = true;
      extend();
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(trimmed);
    if (!kv) {
      sink.error(line.number, `expected \`Field: value\` in the header of set ${b.name}; line ignored`, s, start + 1);
      continue;
    }
    const key = kv[1]!;
    const value = kv[2]!;
    if (key === 'Type') b.type = value;
    else if (key === 'Header') b.header = value;
    else b.fields[key] = value;
    extend();
  }
  close();
  sink.finish();
  return { value: { format: 'ipset-list', sets }, diagnostics: sink.diagnostics };
}
