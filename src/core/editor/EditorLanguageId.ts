/**
 * The four dump languages the extension contributes (package.json `contributes.languages`), each
 * with a TextMate grammar in syntaxes/ and the language features of this folder.
 */
export const EDITOR_LANGUAGE_IDS = ['iptables', 'ebtables', 'ovs-flows', 'ovs-trace'] as const;

export type EditorLanguageId = (typeof EDITOR_LANGUAGE_IDS)[number];

export function isEditorLanguageId(id: string): id is EditorLanguageId {
  return (EDITOR_LANGUAGE_IDS as readonly string[]).includes(id);
}
