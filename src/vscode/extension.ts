import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainVip } from '../core/diagnose/explainVip';
import { parseIp } from '../core/net/IpAddress';
import { decodeOpenStackPorts } from '../core/openstack/decodeOpenStackPorts';
import { formatTrace } from '../core/sim/formatTrace';
import { parsePacketSpec } from '../core/sim/parsePacketSpec';
import { simulateHost } from '../core/sim/walk/simulateHost';
import type { Span } from '../core/text/Span';
import { COMMANDS, VIEW_ID } from './commandIds';
import { openLocation } from './openLocation';
import { registerLanguageFeatures } from './registerLanguageFeatures';
import { VipReportPanel } from './report/VipReportPanel';
import { LIVE_SCHEME, SnapshotStore, type OpenSnapshot } from './SnapshotStore';
import { connectLiveHost } from './connectLiveHost';
import { writeSnapshotFolder } from '../host/collect/writeSnapshotFolder';
import { HostsTreeProvider } from './tree/HostsTreeProvider';

const TRACE_SCHEME = 'osnet-trace';

/**
 * Activation only wires services to VS Code; the logic lives in src/core (pure) and src/host.
 * Activation is lazy (views, commands, languages) and does no I/O of its own.
 */
export function activate(context: vscode.ExtensionContext): void {
  const store = new SnapshotStore();
  const tree = new HostsTreeProvider(store);
  const traces = new Map<string, string>();
  const traceDocs = new vscode.EventEmitter<vscode.Uri>();
  registerLanguageFeatures(context);
  context.subscriptions.push(
    vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    tree,
    traceDocs,
    vscode.workspace.registerTextDocumentContentProvider(TRACE_SCHEME, { onDidChange: traceDocs.event, provideTextDocumentContent: (uri) => traces.get(uri.toString()) ?? '' }),
    vscode.workspace.registerTextDocumentContentProvider(LIVE_SCHEME, { provideTextDocumentContent: (uri) => store.liveText(uri.path) ?? '' }),
    vscode.commands.registerCommand(COMMANDS.connectHost, () => connectLiveHost(store)),
    vscode.commands.registerCommand(COMMANDS.saveSnapshot, async (node?: { hostId?: string }) => {
      const snap = await pickSnapshot(store, node?.hostId);
      if (!snap?.live) {
        void vscode.window.showInformationMessage('Only hosts collected live over SSH need saving; snapshot folders are already on disk.');
        return;
      }
      const target = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Save snapshot into this (empty) folder' });
      if (!target?.[0]) return;
      try {
        const files = await writeSnapshotFolder(target[0].fsPath, snap.live.result);
        void vscode.window.showInformationMessage(`Saved ${files.length} files to ${target[0].fsPath}.`);
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not save: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.openSnapshotFolder, async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: 'Open snapshot' });
      for (const uri of picked ?? []) await openWithProgress(store, uri.fsPath);
    }),
    vscode.commands.registerCommand(COMMANDS.openSample, async () => {
      const dir = path.join(context.extensionPath, 'samples');
      const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory()) : [];
      if (names.length === 0) {
        void vscode.window.showWarningMessage('No bundled samples in this installation.');
        return;
      }
      const pick = await vscode.window.showQuickPick(names, { placeHolder: 'Sample snapshot recorded from a seed scenario' });
      if (pick) await openWithProgress(store, path.join(dir, pick));
    }),
    vscode.commands.registerCommand(COMMANDS.refresh, async (node?: { hostId?: string }) => {
      for (const s of node?.hostId ? [store.get(node.hostId)].filter((x): x is OpenSnapshot => x !== undefined) : store.list()) {
        if (s.live) await connectLiveHost(store, s.live.destination);
        else await store.reload(s.id);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.closeSnapshot, (node?: { hostId?: string }) => {
      if (node?.hostId) store.close(node.hostId);
    }),
    vscode.commands.registerCommand(COMMANDS.openLocation, (root: string, span: Span) => openLocation(root, span)),
    vscode.commands.registerCommand(COMMANDS.explainVip, async (node?: { hostId?: string }) => {
      const snap = await pickSnapshot(store, node?.hostId);
      if (!snap) return;
      const vipText = await vscode.window.showInputBox({
        title: 'Explain why VIP traffic is dropped', prompt: 'The VIP (keepalived / LVS / haproxy address)', placeHolder: '10.1.26.252',
        validateInput: (v) => (parseIp(v.trim()) ? undefined : 'Enter an IPv4 or IPv6 address'),
      });
      const vip = vipText ? parseIp(vipText.trim()) : undefined;
      if (!vip) return;
      const ports = decodeOpenStackPorts(snap.snapshot);
      const chosen = ports.length > 0 ? await vscode.window.showQuickPick(ports.map((p) => ({ label: p.id, description: `${p.vmDevice} · ${p.firewall}`, picked: false })), {
        canPickMany: true, placeHolder: 'Ports that should hold the VIP (none: find them automatically)',
      }) : [];
      if (chosen === undefined) return;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Tracing the packets of ${vipText ?? ''}…` }, () =>
        Promise.resolve(explainVip({ hosts: [{ label: snap.label, snapshot: snap.snapshot, sim: snap.sim }], vip, ...(chosen.length ? { ports: chosen.map((c) => c.label) } : {}) })));
      if (!result.ok) {
        void vscode.window.showErrorMessage(`${result.message}${result.nearMatches.length ? ` — near: ${result.nearMatches.slice(0, 5).join(', ')}` : ''}`);
        return;
      }
      VipReportPanel.show(context.extensionUri, result.report, `VIP ${result.report.vip}`, snap.root);
    }),
    vscode.commands.registerCommand(COMMANDS.tracePacket, async (node?: { hostId?: string }) => {
      const snap = await pickSnapshot(store, node?.hostId);
      if (!snap) return;
      const devices = [...snap.sim.namespaces.values()].flatMap((ns) => [...ns.devices.values()].map((d) => ({ label: d.name, description: ns.name || '(root)', netns: ns.name })));
      const dev = await vscode.window.showQuickPick(devices, { placeHolder: 'Where the packet enters (a VM tap, a veth, a namespace interface)' });
      if (!dev) return;
      const spec = await vscode.window.showInputBox({
        title: 'Trace packet', prompt: 'Packet in ofproto/trace syntax', placeHolder: 'tcp,nw_src=10.0.0.5,nw_dst=10.0.0.9,tcp_dst=22',
        validateInput: (v) => parsePacketSpec(v).diagnostics.find((d) => d.severity === 'error')?.message,
      });
      if (!spec) return;
      const result = simulateHost(snap.sim, { kind: 'device', device: dev.label, netns: dev.netns }, parsePacketSpec(spec).value, { ct: 'new' });
      const uri = vscode.Uri.parse(`${TRACE_SCHEME}:/${encodeURIComponent(dev.label)}-${Date.now()}.trace`);
      traces.set(uri.toString(), `# osnet trace ${snap.root} --in ${dev.label}${dev.netns ? ` --netns ${dev.netns}` : ''} '${spec}'\n\n${formatTrace(result)}`);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(doc, 'ovs-trace'), { preview: true });
    }),
  );
}

async function openWithProgress(store: SnapshotStore, root: string): Promise<void> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${path.basename(root)}…` }, () => store.open(root));
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not read ${root}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function pickSnapshot(store: SnapshotStore, id?: string): Promise<OpenSnapshot | undefined> {
  if (id) return store.get(id);
  const all = store.list();
  if (all.length === 1) return all[0];
  if (all.length === 0) {
    const action = await vscode.window.showInformationMessage('Open a snapshot folder or a sample first.', 'Open Snapshot Folder…', 'Open Sample Snapshot');
    if (action === 'Open Snapshot Folder…') await vscode.commands.executeCommand(COMMANDS.openSnapshotFolder);
    if (action === 'Open Sample Snapshot') await vscode.commands.executeCommand(COMMANDS.openSample);
    return store.list()[0];
  }
  const pick = await vscode.window.showQuickPick(all.map((s) => ({ label: s.label, description: s.root, id: s.id })), { placeHolder: 'Host or snapshot' });
  return pick ? store.get(pick.id) : undefined;
}

export function deactivate(): void {
  // Disposables are owned by the context's subscriptions.
}
