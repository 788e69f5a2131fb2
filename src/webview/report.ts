// Browser code of the VIP report panel. Renders the report model with VS Code-styled web
// components (@vscode-elements/elements, loaded by the panel's HTML) and theme colours from VS Code
// CSS variables; talks to the extension only through the typed protocol.
import type { Finding, VipReport } from '../core/diagnose/VipReport';
import type { HostToWebview, WebviewToHost } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root');

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  if (event.data.type === 'report' && root) render(root, event.data.report, event.data.title);
});
vscode.postMessage({ type: 'ready' });

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function render(target: HTMLElement, r: VipReport, title: string): void {
  target.replaceChildren();
  target.append(el('h1', {}, title));
  target.append(el('p', { class: 'headline' }, ...withCode(r.headline)));
  const exportButton = el('vscode-button', { id: 'export', secondary: '' }, 'Export as Markdown');
  exportButton.addEventListener('click', () => vscode.postMessage({ type: 'exportMarkdown' }));
  target.append(exportButton);
  target.append(el('h2', {}, 'Ports that may hold the VIP'));
  const table = el('table', { class: 'ports' }, el('tr', {}, ...['port', 'device', 'fixed IP', 'MAC', 'firewall', 'VIP allowed', 'allowed pairs'].map((h) => el('th', {}, h))));
  for (const p of r.ports) {
    table.append(el('tr', {}, ...[p.id, p.vmDevice, p.fixedIp ?? '?', p.mac ?? '?', p.firewall, p.vipAllowed ? 'yes' : 'no', p.allowedPairs.join(', ')].map((c) => el('td', {}, c))));
  }
  target.append(table);
  for (const w of r.warnings) target.append(el('p', { class: 'warning' }, `⚠ ${w}`));
  target.append(el('h2', {}, 'Packets'));
  for (const f of r.findings) target.append(finding(f));
  if (r.unknowns.length) {
    target.append(el('h2', {}, 'Not known from this snapshot'));
    target.append(el('ul', {}, ...r.unknowns.map((u) => el('li', {}, u))));
  }
}

function finding(f: Finding): HTMLElement {
  const badge = el('vscode-badge', { class: `verdict ${f.outcome}` }, f.outcome === 'ok' ? 'passes' : f.outcome === 'blocked' ? f.verdict : 'unknown');
  const box = el('vscode-collapsible', { title: f.title, ...(f.outcome === 'blocked' ? { open: '' } : {}) });
  box.setAttribute('description', f.summary);
  box.append(el('div', { slot: 'decorations' }, badge));
  const body = el('div', { class: 'finding' });
  body.append(el('p', {}, ...withCode(f.summary), f.conditional ? ` (${f.conditional})` : ''));
  if (f.decidedBy?.raw) {
    const link = el('a', { href: '#', class: 'rule-link' }, `${f.decidedBy.file ?? ''}:${f.decidedBy.line ?? ''}`);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      if (f.decidedBy?.file && f.decidedBy.line) vscode.postMessage({ type: 'openLocation', file: f.decidedBy.file, line: f.decidedBy.line });
    });
    body.append(el('p', {}, 'Deciding rule: ', link));
    body.append(el('pre', { class: 'rule' }, f.decidedBy.raw));
  }
  if (f.cause) body.append(el('p', { class: 'cause' }, el('strong', {}, `${f.cause.title}: `), f.cause.explanation));
  if (f.fix?.length) {
    const text = f.fix.join('\n');
    const copy = el('vscode-button', { class: 'copy' }, 'Copy fix');
    copy.addEventListener('click', () => vscode.postMessage({ type: 'copy', text }));
    body.append(el('pre', { class: 'fix' }, text), copy);
  }
  for (const c of f.caveats ?? []) body.append(el('p', { class: 'caveat' }, `Note: ${c}`));
  const path = el('vscode-collapsible', { title: `Path (${f.steps.length} steps)` });
  path.append(el('pre', { class: 'path' }, f.steps.map((s) => `${'  '.repeat(s.depth)}${s.layer}${s.chain ? ` ${s.chain}` : s.bridge ? ` ${s.bridge}` : ''}${s.table !== undefined ? ` [${s.table}]` : ''}: ${s.action}`).join('\n')));
  body.append(path);
  if (f.assumptions.length) body.append(el('p', { class: 'assumptions' }, `Assumed: ${f.assumptions.join('; ')}`));
  body.append(el('p', { class: 'packet' }, `Packet (in ${f.ingress}): `, el('code', {}, f.packet)));
  box.append(body);
  return box;
}

/** `chain` names in the report's text become <code>: the report model is plain text with Markdown-style backticks. */
function withCode(text: string): (Node | string)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? el('code', {}, part) : part));
}
