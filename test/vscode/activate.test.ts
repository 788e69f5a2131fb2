import { strict as assert } from 'node:assert';
import Module from 'node:module';
import * as path from 'node:path';
import * as pkg from '../../package.json';
import { COMMANDS, CONTEXT } from '../../src/vscode/commandIds';

/**
 * The extension's wiring without a VS Code: `vscode` is replaced by a stub that accepts every call
 * and records registerCommand, so activate() runs in plain Node. Checks that package.json and the
 * code agree: every contributed command is registered, every menu names a contributed command and
 * a context value the tree sets. (The real UI is driven by the end-to-end tests in code-server.)
 */
describe('activate() wiring (vscode stubbed)', () => {
  const registered = new Set<string>();
  const anything = (): unknown => new Proxy(function () { /* stub */ }, {
    get: (_t, prop) => (prop === 'then' ? undefined : prop === Symbol.toPrimitive ? () => '' : anything()),
    apply: () => anything(),
    construct: () => anything() as object,
  });
  // The import helper copies the module's own keys: name the parts of the API the extension uses.
  const api = ['window', 'workspace', 'languages', 'env', 'Uri', 'EventEmitter', 'ThemeIcon', 'ThemeColor', 'TreeItem', 'TreeItemCollapsibleState', 'MarkdownString',
    'SymbolKind', 'FoldingRangeKind', 'FoldingRange', 'DiagnosticSeverity', 'Diagnostic', 'Range', 'Location', 'Hover', 'CodeLens', 'DocumentSymbol', 'ProgressLocation',
    'ConfigurationTarget', 'ViewColumn', 'OverviewRulerLane', 'Disposable'];
  const stub: Record<string, unknown> = { commands: { registerCommand: (id: string) => { registered.add(id); return anything(); }, executeCommand: () => Promise.resolve() } };
  for (const name of api) stub[name] = anything();
  const load = (Module as unknown as { _load: (...a: unknown[]) => unknown })._load;

  before(() => {
    (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? stub : load.call(this, request, ...rest);
    };
  });
  after(() => {
    (Module as unknown as { _load: unknown })._load = load;
  });

  it('registers every command package.json contributes, and menus only use contributed commands and known context values', () => {
    // required after the stub is in place (a static import would load the real `vscode` first)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ext = require('../../src/vscode/extension') as { activate: (c: unknown) => void };
    const context = { subscriptions: [] as unknown[], extensionPath: path.resolve(__dirname, '../..'), extensionUri: anything(), globalState: { get: () => undefined, update: () => Promise.resolve() }, secrets: anything() };
    ext.activate(context);
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
    assert.deepEqual(Object.values(COMMANDS).filter((c) => !registered.has(c)), [], 'in commandIds but not registered');
    assert.deepEqual(Object.values(COMMANDS).filter((c) => c !== COMMANDS.openLocation && !contributed.includes(c)), [], 'registered but not contributed');
    const menus = pkg.contributes.menus as Record<string, { command: string; when?: string }[]>;
    const used = Object.values(menus).flat();
    assert.deepEqual(used.filter((m) => !contributed.includes(m.command)).map((m) => m.command), []);
    const contextValues = new Set<string>(Object.values(CONTEXT));
    for (const m of used) {
      for (const v of m.when?.match(/viewItem == ([\w.]+)/g) ?? []) assert.ok(contextValues.has(v.slice('viewItem == '.length)), `${m.command}: ${v}`);
    }
    assert.ok(used.some((m) => m.command === COMMANDS.tracePacketFromPort && m.when?.includes(`viewItem == ${CONTEXT.port}`)));
    assert.ok(menus['editor/title']?.some((m) => m.command === COMMANDS.explainVip));
    const props = Object.keys((pkg.contributes as unknown as { configuration: { properties: Record<string, unknown> } }).configuration.properties);
    assert.deepEqual(props, ['osnet.hosts', 'osnet.rememberPassphrases']);
  });
});
