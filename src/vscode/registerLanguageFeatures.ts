import * as vscode from 'vscode';
import { codeLenses } from '../core/editor/codeLenses';
import { definition } from '../core/editor/definition';
import { documentSymbols, type EditorSymbol } from '../core/editor/documentSymbols';
import { editorDiagnostics } from '../core/editor/editorDiagnostics';
import { EDITOR_LANGUAGE_IDS, isEditorLanguageId } from '../core/editor/EditorLanguageId';
import type { EditorRange } from '../core/editor/EditorRange';
import { foldingRanges } from '../core/editor/foldingRanges';
import { hover } from '../core/editor/hover';
import { references } from '../core/editor/references';

/**
 * Outline, folding, hovers, go to definition, references, code lenses and parser diagnostics for
 * the four dump languages. All logic is in src/core/editor; this only converts to VS Code types.
 * Documents from the tree (files of opened snapshots) and any saved dump get the same features.
 */
export function registerLanguageFeatures(context: vscode.ExtensionContext): void {
  const selector: vscode.DocumentSelector = EDITOR_LANGUAGE_IDS.map((language) => ({ language }));
  const diagnostics = vscode.languages.createDiagnosticCollection('osnet');
  const lang = (doc: vscode.TextDocument): (typeof EDITOR_LANGUAGE_IDS)[number] | undefined => (isEditorLanguageId(doc.languageId) ? doc.languageId : undefined);
  const file = (doc: vscode.TextDocument): string => doc.uri.toString();

  const refresh = (doc: vscode.TextDocument): void => {
    const l = lang(doc);
    if (!l) return;
    diagnostics.set(doc.uri, editorDiagnostics(doc.getText(), l, file(doc)).map((d) => {
      const diag = new vscode.Diagnostic(range(d.range), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      diag.source = d.source;
      return diag;
    }));
  };

  // A 40,000-rule dump takes ~0.4 s to parse: re-check after typing pauses, not on every keystroke.
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const refreshSoon = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => { pending.delete(key); refresh(doc); }, 300));
  };

  context.subscriptions.push(
    diagnostics,
    { dispose: () => { for (const t of pending.values()) clearTimeout(t); } },
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => { if (lang(e.document)) refreshSoon(e.document); }),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.delete(doc.uri)),
    vscode.languages.registerDocumentSymbolProvider(selector, {
      provideDocumentSymbols: (doc) => {
        const l = lang(doc);
        return l ? documentSymbols(doc.getText(), l, file(doc)).map(symbol) : [];
      },
    }),
    vscode.languages.registerFoldingRangeProvider(selector, {
      provideFoldingRanges: (doc) => {
        const l = lang(doc);
        return l ? foldingRanges(doc.getText(), l, file(doc)).map((f) => new vscode.FoldingRange(f.startLine, f.endLine, vscode.FoldingRangeKind.Region)) : [];
      },
    }),
    vscode.languages.registerHoverProvider(selector, {
      provideHover: (doc, pos) => {
        const l = lang(doc);
        const h = l ? hover(doc.getText(), l, { line: pos.line, character: pos.character }, file(doc)) : undefined;
        return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), range(h.range)) : undefined;
      },
    }),
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition: (doc, pos) => {
        const l = lang(doc);
        return l ? definition(doc.getText(), l, { line: pos.line, character: pos.character }, file(doc)).map((loc) => new vscode.Location(doc.uri, range(loc.range))) : [];
      },
    }),
    vscode.languages.registerReferenceProvider(selector, {
      provideReferences: (doc, pos, ctx) => {
        const l = lang(doc);
        return l ? references(doc.getText(), l, { line: pos.line, character: pos.character }, ctx.includeDeclaration, file(doc)).map((loc) => new vscode.Location(doc.uri, range(loc.range))) : [];
      },
    }),
    vscode.languages.registerCodeLensProvider(selector, {
      provideCodeLenses: (doc) => {
        const l = lang(doc);
        return l ? codeLenses(doc.getText(), l, file(doc)).map((c) => new vscode.CodeLens(range(c.range), c.references.length > 0
          ? { title: c.title, command: 'editor.action.showReferences', arguments: [doc.uri, range(c.range).start, c.references.map((r) => new vscode.Location(doc.uri, range(r.range)))] }
          : { title: c.title, command: '' })) : [];
      },
    }),
  );
  for (const doc of vscode.workspace.textDocuments) refresh(doc);
}

function range(r: EditorRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const KINDS: Readonly<Record<EditorSymbol['kind'], vscode.SymbolKind>> = {
  table: vscode.SymbolKind.Namespace, chain: vscode.SymbolKind.Function, rule: vscode.SymbolKind.Field, flow: vscode.SymbolKind.Field,
  bridge: vscode.SymbolKind.Module, step: vscode.SymbolKind.Event, verdict: vscode.SymbolKind.Constant, pass: vscode.SymbolKind.Package,
};

function symbol(s: EditorSymbol): vscode.DocumentSymbol {
  const d = new vscode.DocumentSymbol(s.name || '(unnamed)', s.detail, KINDS[s.kind], range(s.range), range(s.selectionRange));
  d.children = s.children.map(symbol);
  return d;
}
