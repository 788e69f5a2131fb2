import type { Finding, VipReport } from './VipReport';

/** The report as an operator pastes it into a ticket: the answer first, then each packet, then what was assumed. */
export function formatVipReport(r: VipReport): string {
  const out: string[] = [];
  out.push(`VIP ${r.vip} on ${r.hosts.join(', ')}`);
  out.push('');
  out.push(r.headline);
  out.push('');
  out.push('Ports that may hold the VIP:');
  for (const p of r.ports) {
    out.push(`  ${p.id}  ${p.vmDevice}  ${p.fixedIp ?? '?'}  ${p.mac ?? '?'}  firewall: ${p.firewall}  VIP allowed: ${p.vipAllowed ? 'yes' : 'no'}${p.allowedPairs.length ? `  allowed pairs: ${p.allowedPairs.join(', ')}` : ''}`);
  }
  for (const w of r.warnings) out.push(`\nWarning: ${w}`);
  out.push('');
  for (const f of r.findings) out.push(...formatFinding(f));
  if (r.unknowns.length) {
    out.push('Not known from this snapshot:');
    for (const u of r.unknowns) out.push(`  - ${u}`);
  }
  return `${out.join('\n')}\n`;
}

function formatFinding(f: Finding): string[] {
  const mark = f.outcome === 'ok' ? 'ok  ' : f.outcome === 'blocked' ? 'DROP' : '??  ';
  const lines = [`[${mark}] ${f.title}: ${f.summary}${f.conditional ? `  (${f.conditional})` : ''}`];
  if (f.decidedBy?.raw) lines.push(`       rule: ${f.decidedBy.raw}`);
  if (f.decidedBy?.file) lines.push(`       at:   ${f.decidedBy.file}:${f.decidedBy.line ?? ''}`);
  if (f.cause) lines.push(`       why:  ${f.cause.explanation}`);
  for (const [i, fix] of (f.fix ?? []).entries()) lines.push(`       ${i === 0 ? 'fix: ' : '     '} ${fix}`);
  for (const c of f.caveats ?? []) lines.push(`       note: ${c}`);
  if (f.outcome !== 'ok') lines.push(`       packet: ${f.packet} (in ${f.ingress})`);
  lines.push('');
  return lines;
}
