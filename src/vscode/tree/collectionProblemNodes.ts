import * as vscode from 'vscode';
import { hostJsonFailures, sectionFailures, type SectionFailure } from '../../host/collect/sectionFailures';
import { describeSshError } from '../../host/ssh/describeSshError';
import { CONTEXT } from '../commandIds';
import type { OpenSnapshot } from '../SnapshotStore';
import { leaf, type TreeNode } from './TreeNode';

/**
 * What went wrong in a host's collection (live, or a folder with host.json), shown first under the host while the rest stays
 * browsable: a partial collection (connection lost, timeout) as an error node with Retry, and
 * one warning node per kind of failed section ("ovs-vsctl show: command not found",
 * "iptables-save -c: sudo: a password is required (13 sections)") with the advice and every
 * failed command in the tooltip; a click opens the section's (empty or partial) output.
 */
export function collectionProblemNodes(s: OpenSnapshot): TreeNode[] {
  const r = s.live?.result;
  // A folder collected earlier tells the same from its host.json.
  if (!r) return s.snapshot.collection ? hostJsonFailures(s.snapshot.collection).map((f) => failureNode(s, f)) : [];
  const out: TreeNode[] = [];
  if (r.error) {
    const d = describeSshError(r.error);
    out.push(leaf({
      label: `Partial collection: ${d.label}`,
      description: `${r.sections.length} sections received`,
      tooltip: markdown(`**Partial collection** of ${s.live?.destination ?? ''}: what arrived is shown below.\n\n${d.detail}`),
      icon: 'error', iconColor: 'problemsErrorIcon.foreground', contextValue: CONTEXT.error,
    }, { hostKey: s.live?.destination ?? '' }));
  }
  for (const f of sectionFailures(r)) out.push(failureNode(s, f));
  return out;
}

function failureNode(s: OpenSnapshot, f: SectionFailure): TreeNode {
  const first = f.files[0];
  return leaf({
    label: f.label,
    description: f.severity === 'error' ? 'collection incomplete' : f.severity === 'info' ? 'empty' : 'section missing',
    tooltip: markdown(`${f.advice ? `${f.advice}\n\n` : ''}${f.details.map((x) => `- ${x}`).join('\n')}`),
    icon: f.severity === 'info' ? 'info' : 'warning', iconColor: f.severity === 'error' ? 'problemsErrorIcon.foreground' : f.severity === 'info' ? 'problemsInfoIcon.foreground' : 'problemsWarningIcon.foreground',
    contextValue: CONTEXT.sectionWarning,
    ...(first !== undefined ? { root: s.root, span: { file: first, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 } } : {}),
  }, { hostKey: s.live?.destination ?? '' });
}

function markdown(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text);
  m.supportThemeIcons = false;
  return m;
}
