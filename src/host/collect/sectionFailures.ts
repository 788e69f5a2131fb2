import type { HostJson } from '../../core/snapshot/parseHostJson';
import { explainStderr, type KnownStderrId } from '../ssh/knownStderr';
import type { CollectedSection, CollectResult } from './CollectResult';

/** What grouping needs of a section: a live collection's, or one rebuilt from a folder's host.json. */
type SectionOutcome = Pick<CollectedSection, 'id' | 'file' | 'argv' | 'netns' | 'exitCode' | 'stderr' | 'known'>;

/** One kind of failed section, as the tree shows it under a live host: "ovs-vsctl show: command not found". */
export interface SectionFailure {
  /** `<command>: <reason>`, plus `(N sections)` when the same command failed in several places. */
  readonly label: string;
  /** What it means and what to do (the known-stderr advice, or the collection's summary). */
  readonly advice?: string;
  /** One line per failed section: its argv, exit code and first stderr line. */
  readonly details: readonly string[];
  /** `info` for what only means "nothing there" (an ebtables table whose module is not loaded). */
  readonly severity: 'error' | 'warning' | 'info';
  readonly known?: KnownStderrId;
  /** The snapshot files of the failed sections. */
  readonly files: readonly string[];
}

/** Short reasons for known stderr messages, as a tree label has room for. */
const REASONS: Readonly<Record<KnownStderrId, string>> = {
  sudoPassword: 'sudo: a password is required',
  sudoNotAllowed: 'not allowed by sudo',
  netnsOpen: 'cannot enter the namespace',
  commandNotFound: 'command not found',
  ovsNotRunning: 'Open vSwitch is not running',
  ovsNoBridge: 'the bridge vanished',
  ebtablesTable: 'table not available in the kernel',
  libvirtConnect: 'libvirtd not reachable',
  permissionDenied: 'permission denied',
};

const MAX_DETAILS = 20;

/**
 * Causes that belong to the host, not to a command: when ovsdb-server is down every OVS command
 * fails alike (a linuxbridge node with Open vSwitch installed but stopped fails three of them), so
 * they make one node naming the commands, not one per command.
 */
const HOST_WIDE: ReadonlySet<KnownStderrId> = new Set<KnownStderrId>(['ovsNotRunning', 'libvirtConnect']);

/**
 * The failed sections of a live collection, grouped by command and reason (a host without sudo
 * rights fails the same command in every namespace: one entry, not two hundred), and by reason
 * alone for a cause that is the host's (HOST_WIDE), in collection order. The advice comes from the collection's own problem summary when it has one (the sudoers
 * line to configure), else from the known-stderr table.
 */
export function sectionFailures(result: Pick<CollectResult, 'problems' | 'sudo'> & { readonly sections: readonly SectionOutcome[] }): SectionFailure[] {
  const groups = new Map<string, SectionOutcome[]>();
  for (const s of result.sections) {
    if (s.exitCode === 0) continue;
    const known = s.known?.id;
    const key = known !== undefined && HOST_WIDE.has(known) ? `\u0000${known}` : `${s.id}\u0000${known ?? firstLine(s.stderr)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  }
  const out: SectionFailure[] = [];
  for (const list of groups.values()) {
    const first = list[0];
    if (!first) continue;
    const commands = [...new Set(list.map(commandOf))];
    const command = commands.length > 3 ? `${commands.slice(0, 3).join(', ')}, …` : commands.join(', ');
    const reason = first.known ? REASONS[first.known.id] : firstLine(first.stderr) || `exit code ${first.exitCode}`;
    const summary = first.known ? result.problems.find((p) => p.known === first.known?.id && p.advice) : undefined;
    const id = first.known?.id;
    const severity = id === 'sudoPassword' || id === 'sudoNotAllowed' || (id === 'permissionDenied' && !result.sudo) ? 'error' : id === 'ebtablesTable' ? 'info' : 'warning';
    const advice = summary?.advice ?? first.known?.advice;
    const details = list.slice(0, MAX_DETAILS).map((s) => `\`${s.argv.join(' ')}\` exited with ${s.exitCode}${firstLine(s.stderr) ? `: ${firstLine(s.stderr)}` : ''}`);
    if (list.length > MAX_DETAILS) details.push(`… and ${list.length - MAX_DETAILS} more`);
    const count = list.length > 1 ? ` (${list.length} sections)` : '';
    out.push({
      label: commands.length > 1 ? `${reason}: ${command}${count}` : `${command}: ${reason}${count}`,
      ...(advice ? { advice } : {}),
      details,
      severity,
      ...(first.known ? { known: first.known.id } : {}),
      files: list.map((s) => s.file),
    });
  }
  return out;
}

/**
 * The same nodes for a snapshot folder that `osnet collect` (or the extension) wrote: its host.json
 * keeps every command's argv, exit code and stderr, so a folder opened later shows what a live
 * host showed (without the collection's own advice, such as the sudoers line, which it does not keep).
 */
export function hostJsonFailures(h: HostJson): SectionFailure[] {
  const sections: SectionOutcome[] = h.commands.map((c) => {
    const stderr = c.stderr ?? '';
    const known = c.exitCode !== 0 ? explainStderr(stderr) : undefined;
    // The command without `sudo -n` / `ip netns exec NAME` stands for the collector's section id.
    const base = { file: c.file, argv: c.argv, exitCode: c.exitCode, stderr, ...(c.netns !== undefined ? { netns: c.netns } : {}), ...(known ? { known } : {}) };
    return { ...base, id: commandOf(base) };
  });
  return sectionFailures({ sections, problems: [], sudo: h.commands.some((c) => c.argv[0] === 'sudo') });
}

/** The command as the operator would type it: without `sudo -n` and `ip netns exec NAME`. */
function commandOf(s: Pick<SectionOutcome, 'argv' | 'netns'>): string {
  let argv = [...s.argv];
  if (argv[0] === 'sudo' && argv[1] === '-n') argv = argv.slice(2);
  if (s.netns !== undefined && argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec') argv = argv.slice(4);
  return argv.filter((w) => w !== '--').join(' ');
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
