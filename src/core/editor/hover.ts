import type { EditorLanguageId } from './EditorLanguageId';
import type { EditorPosition } from './EditorRange';
import type { EditorHover } from './EditorHover';
import { netfilterHover } from './netfilterHover';
import { ovsHover } from './ovsHover';
import { parseEditorDocument } from './parseEditorDocument';

/**
 * The hover at a position of a dump: what the word under the cursor means (match modules,
 * options, targets, chains with Neutron names decoded, OVS fields, actions and table numbers,
 * Neutron rule comments, counters in human units), as markdown, or undefined when there is nothing
 * to say. Never throws, whatever the text.
 */
export function hover(text: string, languageId: EditorLanguageId, position: EditorPosition, file = 'untitled'): EditorHover | undefined {
  const doc = parseEditorDocument(text, languageId, file);
  return doc.kind === 'iptables' || doc.kind === 'ebtables' ? netfilterHover(doc, position) : ovsHover(doc, position);
}
