import { randomBytes } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { explainStderr, type KnownStderrId } from '../ssh/knownStderr';
import { SshError } from '../ssh/SshError';
import { buildCollectScript, PROTOCOL_VERSION } from './buildCollectScript';
import { COLLECT_COMMANDS, type CollectTemplate } from './collectCommands';
import type { CollectedSection, CollectProblem, CollectResult } from './CollectResult';
import type { ScriptRunner } from './ScriptRunner';
import { SectionStreamParser, type StreamRecord } from './SectionStreamParser';
import { sudoersRule } from './sudoersRule';
import { printableName, validateHostObjectName } from './validateHostObjectName';

export interface CollectOptions {
  /** The whole run, from sending the script to its end. Default 5 minutes. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** stdout kept per section (cut on the host beyond it). Default 64 MiB. */
  readonly maxSectionBytes?: number;
  /** stderr kept per section. Default 64 KiB. */
  readonly maxStderrBytes?: number;
  /** Everything received; the run stops (partial) beyond it. Default 512 MiB. */
  readonly maxTotalBytes?: number;
  /** Only these namespaces ('' = root); default all. */
  readonly namespaces?: readonly string[];
  /** OVS_RUNDIR on the host: tests against a private OVS only. */
  readonly ovsRunDir?: string;
  /** PATH on the host: tests only (a PATH without a tool). */
  readonly path?: string;
  /** The allow-list; default COLLECT_COMMANDS. */
  readonly commands?: readonly CollectTemplate[];
  /** Called as each section arrives (progress in the UI, tests). */
  readonly onSection?: (section: CollectedSection) => void;
  /** The number of exec round trips the runner used (an SshConnection's execCount delta); default 1. */
  readonly execs?: () => number;
  /** The remote login name, for the sudoers line suggested when `sudo -n` asks for a password. */
  readonly remoteUser?: string;
}

const DEFAULTS = { timeoutMs: 300_000, maxSectionBytes: 64 * 1024 * 1024, maxStderrBytes: 64 * 1024, maxTotalBytes: 512 * 1024 * 1024 };
const PLACEHOLDER = /\{(bridge|nwfilter)\}/g;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Collects one host in one round trip: generates the read-only script from the allow-list,
 * runs it once through `runner`, and turns the streamed records into sections. Never throws for
 * what the host does: a dropped connection, a timeout, a cancellation or garbage output end the
 * run with `complete: false`, `error`, and every section received until then.
 */
export async function collectHost(runner: ScriptRunner, opts: CollectOptions = {}): Promise<CollectResult> {
  const started = Date.now();
  const commands = opts.commands ?? COLLECT_COMMANDS;
  const byId = new Map(commands.map((c) => [c.id, c]));
  const token = randomBytes(16).toString('hex');
  const limits = {
    maxSectionBytes: opts.maxSectionBytes ?? DEFAULTS.maxSectionBytes,
    maxStderrBytes: opts.maxStderrBytes ?? DEFAULTS.maxStderrBytes,
  };
  const maxTotal = opts.maxTotalBytes ?? DEFAULTS.maxTotalBytes;
  const script = buildCollectScript({
    token,
    ...limits,
    ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
    ...(opts.ovsRunDir !== undefined ? { ovsRunDir: opts.ovsRunDir } : {}),
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    commands,
  });

  const sections: CollectedSection[] = [];
  const problems: CollectProblem[] = [];
  const files = new Set<string>();
  let uid: string | undefined;
  let sudo = false;
  let fatal: string | undefined;
  let bytes = 0;
  const scriptStderr: Buffer[] = [];
  let scriptStderrBytes = 0;

  const onRecord = (r: StreamRecord): void => {
    switch (r.kind) {
      case 'begin':
        uid = r.uid;
        sudo = r.sudo;
        if (r.version !== PROTOCOL_VERSION) problems.push({ severity: 'warning', message: `the host script speaks protocol ${r.version}, expected ${PROTOCOL_VERSION}` });
        return;
      case 'skip': {
        const name = decodeName(r.name);
        if (r.what === 'tool') problems.push({ severity: 'info', message: `${printableName(name ?? '?')} is not installed on the host; its sections were not collected` });
        else problems.push({ severity: 'warning', message: `${r.what} ${name !== undefined ? printableName(name) : '(not UTF-8)'} was skipped on the host: ${name !== undefined ? validateHostObjectName(r.what as 'netns', name) ?? 'refused' : 'not valid UTF-8'}` });
        return;
      }
      case 'fatal':
        fatal = r.message;
        return;
      case 'end':
        return;
      case 'section': {
        const s = toSection(r, byId, sudo, problems);
        if (!s) return;
        if (files.has(s.file)) {
          problems.push({ severity: 'warning', message: `the host sent ${s.file} twice; the second copy was dropped`, file: s.file });
          return;
        }
        files.add(s.file);
        sections.push(s);
        opts.onSection?.(s);
        return;
      }
    }
  };
  const parser = new SectionStreamParser(token, limits, onRecord);

  const ctl = new AbortController();
  let stopReason: Error | undefined;
  const stop = (err: Error): void => {
    stopReason ??= err;
    ctl.abort();
  };
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const timer = setTimeout(() => stop(new SshError('timeout', runner.label, `${runner.label}: the collection did not finish within ${Math.round(timeoutMs / 100) / 10} s`, { phase: 'command' })), timeoutMs);
  const onOuterAbort = (): void => stop(new SshError('aborted', runner.label, `${runner.label}: collection cancelled`));
  if (opts.signal?.aborted) onOuterAbort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  let exit: { exitCode: number | null; signal?: string } | undefined;
  let runError: Error | undefined;
  try {
    exit = await runner.run(script, {
      signal: ctl.signal,
      onStdout: (chunk) => {
        if (stopReason) return;
        bytes += chunk.length;
        if (bytes > maxTotal) {
          stop(new SshError('protocol', runner.label, `${runner.label}: the host sent more than ${maxTotal} bytes; collection stopped (raise the total output limit for very large hosts)`));
          return;
        }
        parser.push(chunk);
        if (parser.error) stop(new SshError('protocol', runner.label, `${runner.label}: unreadable collection output (${parser.error}); collection stopped`));
      },
      onStderr: (chunk) => {
        if (scriptStderrBytes < 64 * 1024) scriptStderr.push(chunk);
        scriptStderrBytes += chunk.length;
      },
    });
  } catch (err) {
    runError = err instanceof Error ? err : new Error(String(err));
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }

  const stderrText = Buffer.concat(scriptStderr).toString('utf8').trim();
  let error: Error | undefined = stopReason ?? runError;
  if (!error && fatal !== undefined) error = new Error(`${runner.label}: the collection script stopped: ${fatal}`);
  if (!error && !parser.sawEnd) {
    const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with ${String(exit?.exitCode)}`;
    error = new SshError('disconnected', runner.label, `${runner.label}: the collection script ${how} before it finished${stderrText ? `: ${stderrText.split('\n').slice(-3).join(' | ')}` : ''}`);
  }
  if (error && SshError.is(error, 'disconnected') && runError) {
    error = new SshError('disconnected', runner.label, `${runner.label}: the connection was lost during the collection; ${sections.length} sections were received and kept (partial snapshot)`, { cause: runError });
  }
  if (error && parser.midRecord) problems.push({ severity: 'warning', message: 'the section being received when the collection stopped was dropped' });
  summarizeFailures(sections, problems, sudo, sudoersRule(opts.remoteUser ?? loginOf(runner.label) ?? 'USER', commands));

  const meta = (key: 'hostname' | 'collectedAt'): string | undefined => {
    const s = sections.find((x) => byId.get(x.id)?.meta === key && x.exitCode === 0);
    const v = s?.stdout.toString('utf8').trim().split('\n')[0];
    return v ? v : undefined;
  };
  const result: { -readonly [K in keyof CollectResult]: CollectResult[K] } = {
    host: runner.label,
    sections,
    complete: error === undefined,
    problems,
    collectedAt: meta('collectedAt') ?? new Date(started).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sudo,
    durationMs: Date.now() - started,
    bytes,
    execs: opts.execs ? opts.execs() : 1,
  };
  if (error) result.error = error;
  const hostname = meta('hostname');
  if (hostname) result.hostname = hostname;
  if (uid !== undefined) result.uid = uid;
  return result;
}

/** `heat-admin` from an SSH runner's label `jump@bastion -> heat-admin@compute-1:2222`. */
function loginOf(label: string): string | undefined {
  const last = label.split(' -> ').pop() ?? '';
  const at = last.lastIndexOf('@');
  return at > 0 ? last.slice(0, at) : undefined;
}

function decodeName(b: Buffer): string | undefined {
  try {
    return utf8.decode(b);
  } catch {
    return undefined;
  }
}

/** Turns a section record into a CollectedSection, or drops it (with a warning) when it does not fit the allow-list. */
function toSection(r: Extract<StreamRecord, { kind: 'section' }>, byId: ReadonlyMap<string, CollectTemplate>, sudo: boolean, problems: CollectProblem[]): CollectedSection | undefined {
  const t = byId.get(r.id);
  if (!t) {
    problems.push({ severity: 'warning', message: `the host sent a section for unknown command id ${JSON.stringify(r.id)}; dropped` });
    return undefined;
  }
  const ns = decodeName(r.netns);
  const obj = decodeName(r.object);
  if (ns === undefined || obj === undefined) {
    problems.push({ severity: 'warning', message: `section ${t.id}: a name that is not valid UTF-8; dropped` });
    return undefined;
  }
  const needsNs = t.scope === 'netns';
  const needsObj = t.scope === 'bridge' || t.scope === 'nwfilter';
  if ((!needsNs && ns !== '') || (!needsObj && obj !== '') || (needsObj && obj === '')) {
    problems.push({ severity: 'warning', message: `section ${t.id}: names that do not fit its scope (${t.scope}); dropped` });
    return undefined;
  }
  const nsWhy = ns === '' ? undefined : validateHostObjectName('netns', ns);
  const objWhy = needsObj ? validateHostObjectName(t.scope, obj) : undefined;
  if (nsWhy || objWhy) {
    const what = nsWhy ? `namespace ${printableName(ns)}: ${nsWhy}` : `${t.scope} ${printableName(obj)}: ${objWhy ?? ''}`;
    problems.push({ severity: 'warning', message: `section ${t.id} for ${what}; dropped (the name is not safe to use)` });
    return undefined;
  }
  const fill = (w: string): string => w.replace(PLACEHOLDER, () => obj);
  let argv = t.argv.map(fill);
  if (ns !== '') argv = ['ip', 'netns', 'exec', ns, ...argv];
  if (sudo && !(t.unprivileged && ns === '')) argv = ['sudo', '-n', ...argv];
  const file = ns !== '' ? `netns/${ns}/${fill(t.file)}` : fill(t.file);
  const stderr = r.stderr.toString('utf8');
  const s: { -readonly [K in keyof CollectedSection]: CollectedSection[K] } = {
    id: t.id,
    file,
    argv,
    saved: t.saved !== false,
    exitCode: r.exitCode,
    stdout: r.stdout,
    stderr,
  };
  if (ns !== '') s.netns = ns;
  if (t.scope === 'bridge') s.bridge = obj;
  if (t.scope === 'nwfilter') s.nwfilter = obj;
  if (t.parse) s.parse = t.parse;
  if (r.stdoutBytes > r.stdout.length || r.stderrBytes > r.stderr.length) {
    s.truncated = { stdoutBytes: r.stdoutBytes, stderrBytes: r.stderrBytes };
    if (r.stdoutBytes > r.stdout.length) problems.push({ severity: 'warning', message: `${file}: ${r.stdoutBytes} bytes cut to ${r.stdout.length} (per-section limit); the end of this dump is missing`, file });
  }
  if (r.exitCode !== 0) {
    const known = explainStderr(stderr);
    if (known) s.known = known;
  }
  return s;
}

/** One problem per kind of failure (a host without sudo rights fails hundreds of sections the same way). */
function summarizeFailures(sections: readonly CollectedSection[], problems: CollectProblem[], sudo: boolean, rule: string): void {
  const groups = new Map<KnownStderrId | 'other', CollectedSection[]>();
  for (const s of sections) {
    if (s.exitCode === 0) continue;
    const k = s.known?.id ?? 'other';
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(s);
  }
  for (const [id, list] of groups) {
    const first = list[0];
    if (!first) continue;
    const examples = list.slice(0, 3).map((s) => `\`${s.argv.join(' ')}\` (exit ${s.exitCode}${s.stderr.trim() ? `: ${s.stderr.trim().split('\n')[0]}` : ''})`).join('; ');
    const count = list.length === 1 ? '1 section failed' : `${list.length} sections failed`;
    // sudo's failures get the exact line to configure, built from the commands this run used.
    const advice = id === 'sudoPassword' || id === 'sudoNotAllowed'
      ? `sudo -n ${id === 'sudoPassword' ? 'asks for a password' : 'refuses these commands'}: allow the read-only collection commands with NOPASSWD (e.g. \`visudo -f /etc/sudoers.d/osnet\`: \`${rule}\`; \`ip\` includes \`ip netns exec\`, so use a dedicated account) or connect as root`
      : first.known?.advice;
    const severity = id === 'sudoPassword' || id === 'sudoNotAllowed' || (id === 'permissionDenied' && !sudo) ? 'error' : 'warning';
    problems.push({ severity, message: `${count}${advice ? ` — ${advice}` : ''}: ${examples}${list.length > 3 ? '; ...' : ''}`, ...(list.length === 1 ? { file: first.file } : {}), ...(advice ? { advice } : {}), ...(id !== 'other' ? { known: id } : {}) });
  }
}
