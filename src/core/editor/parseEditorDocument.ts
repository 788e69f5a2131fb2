import { parseEbtablesList } from '../ebtables/parseEbtablesList';
import { parseEbtablesSave } from '../ebtables/parseEbtablesSave';
import type { EbtablesRuleset } from '../ebtables/EbtablesRuleset';
import { sniffEbtablesFormat } from '../ebtables/sniffEbtablesFormat';
import { IPTABLES_PARSERS } from '../iptables/iptablesParsers';
import type { IptablesRuleset } from '../iptables/IptablesModel';
import { sniffIptablesFormat } from '../iptables/sniffIptablesFormat';
import { parseOvsDumpFlows, type OvsDumpFlows } from '../ovs/parseOvsDumpFlows';
import { parseOvsTrace, type OvsTrace } from '../ovs/parseOvsTrace';
import { classifyPath } from '../snapshot/classifyPath';
import type { Diagnostic } from '../text/Diagnostic';
import type { EditorLanguageId } from './EditorLanguageId';
import { TextLines } from './TextLines';

/**
 * A document of one of the four dump languages, parsed once for all editor features (outline,
 * folding, hovers, navigation, lenses, problems). The language decides the parser family; the
 * text decides the form within it (`iptables-save` vs `-S` vs `-L`), as the parsers' sniffers say.
 * A text no sniffer recognises is read with the family's most lenient parser (iptables-save reads
 * grep pastes of `-A` lines; ebtables -L reads bare rule lines), so a half-pasted dump still works.
 */
interface Common {
  readonly file: string;
  readonly text: string;
  readonly lines: TextLines;
  readonly diagnostics: readonly Diagnostic[];
}

export type EditorDocument =
  | (Common & { readonly kind: 'iptables'; readonly ruleset: IptablesRuleset })
  | (Common & { readonly kind: 'ebtables'; readonly ruleset: EbtablesRuleset })
  | (Common & { readonly kind: 'ovs-flows'; readonly dump: OvsDumpFlows; readonly bridge?: string })
  | (Common & { readonly kind: 'ovs-trace'; readonly trace: OvsTrace });

const MEMO_SIZE = 8;
/** The last documents parsed: every provider asks for the same text in turn after an edit. */
const memo: { key: string; text: string; doc: EditorDocument }[] = [];

export function parseEditorDocument(text: string, languageId: EditorLanguageId, file = 'untitled'): EditorDocument {
  const key = `${languageId}\u0000${file}`;
  const hit = memo.find((m) => m.key === key && m.text === text);
  if (hit) return hit.doc;
  const doc = parseUncached(text, languageId, file);
  memo.unshift({ key, text, doc });
  if (memo.length > MEMO_SIZE) memo.pop();
  return doc;
}

function parseUncached(text: string, languageId: EditorLanguageId, file: string): EditorDocument {
  const lines = new TextLines(text);
  const hints = classifyPath(file);
  switch (languageId) {
    case 'iptables': {
      const format = sniffIptablesFormat(text) ?? 'iptables-save';
      const r = IPTABLES_PARSERS[format](text, { file });
      return { kind: 'iptables', file, text, lines, ruleset: r.value, diagnostics: r.diagnostics };
    }
    case 'ebtables': {
      const opts = hints.table !== undefined ? { file, table: hints.table } : { file };
      const r = sniffEbtablesFormat(text) === 'ebtables-save' ? parseEbtablesSave(text, opts) : parseEbtablesList(text, opts);
      return { kind: 'ebtables', file, text, lines, ruleset: r.value, diagnostics: r.diagnostics };
    }
    case 'ovs-flows': {
      const r = parseOvsDumpFlows(text, { file });
      const base = { kind: 'ovs-flows' as const, file, text, lines, dump: r.value, diagnostics: r.diagnostics };
      return hints.bridge !== undefined ? { ...base, bridge: hints.bridge } : base;
    }
    case 'ovs-trace': {
      const r = parseOvsTrace(text, { file });
      return { kind: 'ovs-trace', file, text, lines, trace: r.value, diagnostics: r.diagnostics };
    }
  }
}
