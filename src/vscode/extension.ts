import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainVip } from '../core/diagnose/explainVip';
import { reportDecorations } from '../core/diagnose/reportDecorations';
import { formatIp, parseIp } from '../core/net/IpAddress';
import { formatMac } from '../core/net/MacAddress';
import { decodeOpenStackPorts, fixedIpOf } from '../core/openstack/decodeOpenStackPorts';
import { formatTrace } from '../core/sim/formatTrace';
import { parsePacketSpec } from '../core/sim/parsePacketSpec';
import { simulateHost } from '../core/sim/walk/simulateHost';
import type { Span } from '../core/text/Span';
import { writeSnapshotFolder } from '../host/collect/writeSnapshotFolder';
import { parseSettingsHosts, settingsHostFromText, validateDestinationText } from '../host/ssh/SettingsHost';
import { COMMANDS, SETTINGS, VIEW_ID } from './commandIds';
import { LiveHosts, type HostEntry } from './LiveHosts';
import { openLocation } from './openLocation';
import { recentFirst, touchRecent } from './recentFirst';
import { registerLanguageFeatures } from './registerLanguageFeatures';
import { ReportDecorations } from './report/ReportDecorations';
import { VipReportPanel } from './report/VipReportPanel';
import { secretPassphraseVault } from './secretPassphraseVault';
import { LIVE_SCHEME, SnapshotStore, type OpenSnapshot } from './SnapshotStore';
import { HostsTreeProvider } from './tree/HostsTreeProvider';
import type { TreeNode } from './tree/TreeNode';

const TRACE_SCHEME = 'osnet-trace';
/** globalState key: snapshot ids, most recently diagnosed or traced first. */
const RECENT = 'osnet.recentSnapshots';

/**
 * Activation only wires services to VS Code; the logic lives in src/core (pure) and src/host.
 * Activation is lazy (views, commands, languages) and does no I/O of its own.
 */
export function activate(context: vscode.ExtensionContext): void {
  const store = new SnapshotStore();
  const vault = secretPassphraseVault(context);
  const hosts = new LiveHosts(store, vault);
  const tree = new HostsTreeProvider(store, hosts);
  const decorations = new ReportDecorations();
  const traces = new Map<string, string>();
  const traceDocs = new vscode.EventEmitter<vscode.Uri>();
  registerLanguageFeatures(context);

  const recent = (): string[] => context.globalState.get<string[]>(RECENT) ?? [];
  const used = (s: OpenSnapshot): Thenable<void> => context.globalState.update(RECENT, touchRecent(recent(), s.id));

  /** The snapshot a command acts on: a tree node's, a dump editor's, or one the user picks (recent first). */
  const resolveSnapshot = async (arg: unknown): Promise<OpenSnapshot | undefined> => {
    if (arg instanceof vscode.Uri) {
      const owner = store.ownerOf(arg.scheme, arg.scheme === 'file' ? arg.fsPath : arg.path);
      if (owner) return owner;
    }
    const node = isNode(arg) ? arg : undefined;
    if (node?.hostId) {
      const s = store.get(node.hostId);
      if (s) return s;
    }
    if (node?.hostKey) {
      const entry = hosts.find(node.hostKey);
      if (entry) return hosts.connect(entry);
    }
    return pickSnapshot(store, hosts, recent());
  };

  // A host no longer configured but still shown (its setting was removed) is collected again as it was.
  const entryFor = (key: string): HostEntry => hosts.find(key) ?? hosts.addTyped(key, store.get(SnapshotStore.liveId(key))?.live?.input);

  context.subscriptions.push(
    vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    tree,
    hosts,
    decorations,
    traceDocs,
    VipReportPanel.onDidClose(() => decorations.clear()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.hosts}`)) tree.refresh();
    }),
    vscode.workspace.registerTextDocumentContentProvider(TRACE_SCHEME, { onDidChange: traceDocs.event, provideTextDocumentContent: (uri) => traces.get(uri.toString()) ?? '' }),
    vscode.workspace.registerTextDocumentContentProvider(LIVE_SCHEME, { provideTextDocumentContent: (uri) => store.liveText(uri.path) ?? '' }),

    vscode.commands.registerCommand(COMMANDS.connectHost, async (node?: TreeNode) => {
      if (node?.hostKey) {
        await hosts.connect(entryFor(node.hostKey));
        return;
      }
      const { hosts: entries } = hosts.entries();
      const typed = '$(edit) Enter user@host[:port]…';
      const pick = await vscode.window.showQuickPick([
        ...entries.map((h) => ({ label: h.key, description: `${store.get(SnapshotStore.liveId(h.key)) ? 'connected · ' : ''}${h.description}` })),
        { label: typed, description: 'connect once without saving it (Add SSH Host… saves it)' },
      ], { placeHolder: 'Compute or network node (osnet.hosts, ~/.ssh/config)' });
      if (!pick) return;
      let key = pick.label;
      if (pick.label === typed) {
        const text = await vscode.window.showInputBox({ prompt: 'user@host[:port], or a ~/.ssh/config alias', validateInput: validateDestinationText, ignoreFocusOut: true });
        if (!text) return;
        key = text.trim();
      }
      await hosts.connect(entryFor(key));
    }),
    vscode.commands.registerCommand(COMMANDS.addSshHost, async () => {
      const text = await vscode.window.showInputBox({
        title: 'Add SSH Host', prompt: 'user@host[:port] — saved in the osnet.hosts setting (no password or passphrase is ever saved there)',
        placeHolder: 'heat-admin@192.0.2.11:22', validateInput: validateDestinationText, ignoreFocusOut: true,
      });
      if (!text) return;
      const entry = settingsHostFromText(text);
      const config = vscode.workspace.getConfiguration(SETTINGS.section);
      const current = config.inspect<unknown[]>(SETTINGS.hosts)?.globalValue ?? [];
      if (!parseSettingsHosts(current).hosts.some((h) => h.name === entry.name)) {
        await config.update(SETTINGS.hosts, [...current, entry], vscode.ConfigurationTarget.Global);
      }
      await hosts.connect(entryFor(entry.name));
    }),
    vscode.commands.registerCommand(COMMANDS.retryHost, async (node?: TreeNode) => {
      if (node?.hostKey) await hosts.connect(entryFor(node.hostKey));
    }),
    vscode.commands.registerCommand(COMMANDS.forgetPassphrases, async () => {
      const n = await vault.forgetAll();
      void vscode.window.showInformationMessage(n === 0 ? 'No saved passphrases.' : `Forgot ${n} saved passphrase${n === 1 ? '' : 's'}.`);
    }),
    vscode.commands.registerCommand(COMMANDS.showMore, (node?: TreeNode) => {
      if (!node?.showMore) return;
      node.showMore.grow();
      tree.refresh(node.showMore.parent);
    }),
    vscode.commands.registerCommand(COMMANDS.saveSnapshot, async (node?: TreeNode) => {
      const snap = await resolveSnapshot(node);
      if (!snap?.live) {
        if (snap) void vscode.window.showInformationMessage('Only hosts collected live over SSH need saving; snapshot folders are already on disk.');
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
    vscode.commands.registerCommand(COMMANDS.refresh, async (node?: TreeNode) => {
      if (node?.hostKey) {
        await hosts.connect(entryFor(node.hostKey));
        return;
      }
      if (node?.hostId) {
        await store.reload(node.hostId);
        return;
      }
      // The view's Refresh: re-read ~/.ssh/config and settings, reload folders, collect connected hosts again.
      tree.refresh();
      for (const s of store.list()) {
        if (s.live) await hosts.connect(entryFor(s.live.destination));
        else await store.reload(s.id);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.closeSnapshot, (node?: TreeNode) => {
      if (node?.hostId) store.close(node.hostId);
      if (node?.hostKey) hosts.forget(node.hostKey);
    }),
    vscode.commands.registerCommand(COMMANDS.openLocation, (root: string, span: Span) => openLocation(root, span)),
    vscode.commands.registerCommand(COMMANDS.explainVip, async (arg?: unknown) => {
      const snap = await resolveSnapshot(arg);
      if (!snap) return;
      await used(snap);
      const vipText = await vscode.window.showInputBox({
        title: `Explain why VIP traffic is dropped on ${snap.label}`, prompt: 'The VIP (keepalived / LVS / haproxy address)', placeHolder: '10.1.26.252',
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
      decorations.show(reportDecorations(result.report), new Map([[snap.label, snap.root]]));
    }),
    vscode.commands.registerCommand(COMMANDS.tracePacket, async (arg?: unknown) => {
      const snap = await resolveSnapshot(arg);
      if (!snap) return;
      await used(snap);
      const devices = [...snap.sim.namespaces.values()].flatMap((ns) => [...ns.devices.values()].map((d) => ({ label: d.name, description: ns.name || '(root)', netns: ns.name })));
      const dev = await vscode.window.showQuickPick(devices, { placeHolder: 'Where the packet enters (a VM tap, a veth, a namespace interface)' });
      if (!dev) return;
      await traceFrom(snap, dev.label, dev.netns);
    }),
    vscode.commands.registerCommand(COMMANDS.tracePacketFromPort, async (node?: TreeNode) => {
      const snap = node?.hostId ? store.get(node.hostId) : undefined;
      if (!snap || !node?.port) {
        await vscode.commands.executeCommand(COMMANDS.tracePacket, node);
        return;
      }
      await used(snap);
      const { id, device } = node.port;
      const ns = [...snap.sim.namespaces.values()].find((n) => n.devices.has(device));
      const port = decodeOpenStackPorts(snap.snapshot).find((p) => p.id === id);
      const mac = port?.macs[0];
      const ip = port ? fixedIpOf(port) : undefined;
      // The VM pinging someone: its own MAC and fixed IP filled in, the destination left to the user.
      const prefill = `${ip?.family === 6 ? 'icmp6' : 'icmp'},${mac !== undefined ? `dl_src=${formatMac(mac)},` : ''}${ip ? `${ip.family === 6 ? 'ipv6_src' : 'nw_src'}=${formatIp(ip)},` : ''}${ip?.family === 6 ? 'ipv6_dst' : 'nw_dst'}=`;
      await traceFrom(snap, device, ns?.name ?? '', prefill);
    }),
  );

  async function traceFrom(snap: OpenSnapshot, device: string, netns: string, prefill?: string): Promise<void> {
    const spec = await vscode.window.showInputBox({
      title: `Trace packet from ${device}${netns ? ` (namespace ${netns})` : ''}`, prompt: 'Packet in ofproto/trace syntax', placeHolder: 'tcp,nw_src=10.0.0.5,nw_dst=10.0.0.9,tcp_dst=22',
      ...(prefill !== undefined ? { value: prefill, valueSelection: [prefill.length, prefill.length] as [number, number] } : {}),
      validateInput: (v) => parsePacketSpec(v).diagnostics.find((d) => d.severity === 'error')?.message,
    });
    if (!spec) return;
    const result = simulateHost(snap.sim, { kind: 'device', device, netns }, parsePacketSpec(spec).value, { ct: 'new' });
    const uri = vscode.Uri.parse(`${TRACE_SCHEME}:/${encodeURIComponent(device)}-${Date.now()}.trace`);
    traces.set(uri.toString(), `# osnet trace ${snap.root} --in ${device}${netns ? ` --netns ${netns}` : ''} '${spec}'\n\n${formatTrace(result)}`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(doc, 'ovs-trace'), { preview: true });
  }
}

function isNode(x: unknown): x is TreeNode {
  return typeof x === 'object' && x !== null && 'item' in x;
}

async function openWithProgress(store: SnapshotStore, root: string): Promise<void> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${path.basename(root)}…` }, () => store.open(root));
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not read ${root}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * "Host or snapshot": every open snapshot and every live host not connected yet (picking one
 * connects it first), the most recently used first. One open snapshot and nothing else: no pick.
 */
async function pickSnapshot(store: SnapshotStore, hosts: LiveHosts, recent: readonly string[]): Promise<OpenSnapshot | undefined> {
  const open = store.list();
  const waiting = hosts.entries().hosts.filter((h) => !store.get(SnapshotStore.liveId(h.key)));
  if (open.length === 1 && waiting.length === 0) return open[0];
  if (open.length === 0 && waiting.length === 0) {
    const action = await vscode.window.showInformationMessage('Open a snapshot folder or a sample, or add an SSH host, first.', 'Open Snapshot Folder…', 'Open Sample Snapshot', 'Add SSH Host…');
    if (action === 'Open Snapshot Folder…') await vscode.commands.executeCommand(COMMANDS.openSnapshotFolder);
    if (action === 'Open Sample Snapshot') await vscode.commands.executeCommand(COMMANDS.openSample);
    if (action === 'Add SSH Host…') await vscode.commands.executeCommand(COMMANDS.addSshHost);
    return store.list()[0];
  }
  const items = [
    ...open.map((s) => ({ label: s.label, description: s.live ? s.live.destination : s.root, id: s.id, entry: undefined as HostEntry | undefined })),
    ...waiting.map((h) => ({ label: h.key, description: `not connected (connects first) · ${h.description}`, id: SnapshotStore.liveId(h.key), entry: h })),
  ];
  const ordered = recentFirst(items, (i) => i.id, recent);
  const pick = await vscode.window.showQuickPick(ordered.map((i) => (recent.includes(i.id) ? { ...i, description: `recently used · ${i.description}` } : i)), { placeHolder: 'Host or snapshot (recently used first)' });
  if (!pick) return undefined;
  return pick.entry ? hosts.connect(pick.entry) : store.get(pick.id);
}

export function deactivate(): void {
  // Disposables are owned by the context's subscriptions.
}
