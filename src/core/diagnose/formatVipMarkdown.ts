import type { VipReport } from './VipReport';

/** The report as Markdown, for "Export as Markdown" and tickets. */
export function formatVipMarkdown(r: VipReport): string {
  const out: string[] = [`# VIP ${r.vip} on ${r.hosts.join(', ')}`, '', r.headline, '', '## Ports that may hold the VIP', '',
    '| port | device | fixed IP | MAC | firewall | VIP allowed | allowed pairs |', '|---|---|---|---|---|---|---|'];
  for (const p of r.ports) out.push(`| ${p.id} | ${p.vmDevice} | ${p.fixedIp ?? '?'} | ${p.mac ?? '?'} | ${p.firewall} | ${p.vipAllowed ? 'yes' : 'no'} | ${p.allowedPairs.join(', ')} |`);
  for (const w of r.warnings) out.push('', `> **Warning:** ${w}`);
  out.push('', '## Packets');
  for (const f of r.findings) {
    out.push('', `### ${f.outcome === 'ok' ? '✅' : f.outcome === 'blocked' ? '❌' : '❔'} ${f.title}`, '', `${f.summary}${f.conditional ? ` (${f.conditional})` : ''}`);
    if (f.decidedBy?.raw) out.push('', `Deciding rule (\`${f.decidedBy.file ?? ''}:${f.decidedBy.line ?? ''}\`):`, '', '```', f.decidedBy.raw, '```');
    if (f.cause) out.push('', `**${f.cause.title}.** ${f.cause.explanation}`);
    if (f.fix?.length) out.push('', 'Fix:', '', '```sh', ...f.fix, '```');
    for (const c of f.caveats ?? []) out.push('', `_Note:_ ${c}`);
  }
  if (r.unknowns.length) out.push('', '## Not known from this snapshot', '', ...r.unknowns.map((u) => `- ${u}`));
  return `${out.join('\n')}\n`;
}
