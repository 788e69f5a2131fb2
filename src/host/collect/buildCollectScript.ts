import { shellQuote } from '../ssh/shellQuote';
import { COLLECT_COMMANDS, type CollectTemplate } from './collectCommands';
import { validateHostObjectName } from './validateHostObjectName';

export interface CollectScriptOptions {
  /** Random per run (32 hex digits): every record the script prints starts with `@@osnet:TOKEN `. */
  readonly token: string;
  /** Bytes of stdout kept per section (the rest is cut on the host and reported). */
  readonly maxSectionBytes: number;
  /** Bytes of stderr kept per section. */
  readonly maxStderrBytes: number;
  /** Only these namespaces ('' = the root namespace); default all. */
  readonly namespaces?: readonly string[];
  /** OVS_RUNDIR for the OVS tools: for tests against a private OVS, and unusual installs. */
  readonly ovsRunDir?: string;
  /** Replaces PATH on the host (tests: a PATH without a tool). Default: the login PATH plus the sbin folders. */
  readonly path?: string;
  readonly commands?: readonly CollectTemplate[];
}

export const PROTOCOL_VERSION = 2;
const PLACEHOLDERS: Readonly<Record<string, 'bridge' | 'nwfilter'>> = { '{bridge}': 'bridge', '{nwfilter}': 'nwfilter' };

/**
 * The shell functions every generated script starts with. Nothing in here is built from data:
 * names arrive as positional parameters and are only ever used as "$1" / "$_x" (a quoted
 * expansion is never re-parsed, split or globbed by the shell). Output file names are
 * `$d/o<k>` / `$d/e<k>` with a counter k, so they are safe to word-split (globbing is off).
 *
 *   group NS OBJ          start a group of sections for namespace NS / bridge or filter OBJ
 *   run NS ARGV...        run ARGV (in namespace NS unless empty, through $S = sudo -n when not
 *                         root), stdin from /dev/null, stdout/stderr to $d/o<k>, $d/e<k>; rc = exit
 *   runu NS ARGV...       the same without sudo in the root namespace (an `unprivileged` template)
 *   emit ID RC K          record that section K holds command ID with exit code RC
 *   keep / pick           keep a failed primary command's result while its fallback runs
 *   flush                 print the group: ONE `wc -c` for every size, a header with the names and
 *                         one line per section, then ONE `cat` of every output (head -c when a
 *                         section is over its limit) — length-prefixed, so no output can fake a
 *                         boundary, and 2 processes per group instead of 2 per section
 *   ok_name KIND NAME     the client's naming rule (validateHostObjectName), applied before use
 *   skip KIND NAME        report a name that failed ok_name (or a tool that is not installed)
 *   listed KIND           keep the last command's output as the discovery list KIND
 *   each KIND FN          call FN NAME for every line of the discovery list KIND
 */
const PRELUDE = [
  `fatal() { printf '%s fatal %s\\n%s' "$T" "\${#1}" "$1"; exit 1; }`,
  `group() { g_ns=$1; g_obj=$2; g_n=0; g_meta=''; g_files=''; }`,
  'run() {',
  '  _n=$1; shift; k=$((k + 1))',
  '  if [ -n "$_n" ]; then $S ip netns exec "$_n" "$@"; else $S "$@"; fi </dev/null >"$d/o$k" 2>"$d/e$k"',
  '  rc=$?',
  '}',
  'runu() { if [ -n "$1" ]; then run "$@"; else _S=$S; S=; run "$@"; S=$_S; fi; }',
  'emit() { g_meta="$g_meta $1 $2"; g_files="$g_files $d/o$3 $d/e$3"; g_n=$((g_n + 1)); }',
  'keep() { k1=$k; rc1=$rc; }',
  'pick() { if [ "$rc" -eq 0 ]; then emit "$2" 0 "$k"; else emit "$1" "$rc1" "$k1"; fi; }',
  'flush() {',
  '  [ "$g_n" -gt 0 ] || return 0',
  '  set -- $(wc -c $g_files)',
  `  _sz=''; _c=0`,
  '  while [ $# -ge 2 ] && [ "$2" != total ]; do _sz="$_sz $1"; _c=$((_c + 1)); shift 2; done',
  '  [ "$_c" -eq $((g_n * 2)) ] || fatal "cannot read the size of a command output (disk full?)"',
  '  set -- $_sz',
  `  printf '%s group %s %s %s\\n%s%s' "$T" "\${#g_ns}" "\${#g_obj}" "$g_n" "$g_ns" "$g_obj"`,
  `  _all=1; _id=''`,
  '  for _w in $g_meta; do',
  `    if [ -z "$_id" ]; then _id=$_w; continue; fi`,
  '    _so=$1; [ "$1" -le "$LIM" ] || { _so=$LIM; _all=0; }',
  '    _se=$2; [ "$2" -le "$ELIM" ] || { _se=$ELIM; _all=0; }',
  `    printf '%s %s %s %s %s %s\\n' "$_id" "$_w" "$_so" "$1" "$_se" "$2"`,
  `    shift 2; _id=''`,
  '  done',
  '  if [ "$_all" = 1 ]; then cat $g_files',
  '  else for _f in $g_files; do case ${_f##*/} in o*) head -c "$LIM" "$_f";; *) head -c "$ELIM" "$_f";; esac; done; fi',
  '  rm -f $g_files',
  `  g_n=0; g_meta=''; g_files=''`,
  '}',
  'ok_name() {',
  `  case $2 in ''|.|..|*/*|*["$ctl"]*) return 1;; esac`,
  '  [ "${#2}" -le 255 ] || return 1',
  '  if [ "$1" = nwfilter ]; then case $2 in -*) return 1;; esac; fi',
  '  return 0',
  '}',
  `skip() { printf '%s skip %s %s\\n%s' "$T" "$1" "\${#2}" "$2"; }`,
  'listed() { if [ "$rc" -eq 0 ]; then cp "$d/o$k" "$d/$1"; else : >"$d/$1"; fi; }',
  'each() {',
  '  [ -s "$d/$1" ] || return 0',
  '  while IFS= read -r _l || [ -n "$_l" ]; do',
  '    _x=$_l',
  // `ip netns list` prints `NAME (id: 3)`: drop the id suffix.
  '    if [ "$1" = netns ]; then _x=${_l% (id: *)}; fi',
  // `virsh nwfilter-list` prints a table: ` UUID   Name`, dashes, then ` <uuid>   <name>`.
  '    if [ "$1" = nwfilter ]; then',
  '      _x=${_l#"${_l%%[! ]*}"}',
  `      case $_x in ''|UUID*|-*) continue;; esac`,
  '      _x=${_x#* }; _x=${_x#"${_x%%[! ]*}"}; _x=${_x%"${_x##*[! ]}"}',
  '    fi',
  '    if ok_name "$1" "$_x"; then if want_$1 "$_x"; then "$2" "$_x"; fi; else skip "$1" "$_x"; fi',
  '  done <"$d/$1"',
  '}',
  '',
].join('\n');

function checkTemplate(t: CollectTemplate): void {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(t.id)) throw new Error(`collect template id "${t.id}" must be [a-z0-9-]`);
  for (const w of t.argv) {
    if (PLACEHOLDERS[w]) continue;
    // Static words come from our own allow-list; this only guards against a template mistake.
    if (!/^[\x20-\x7e]+$/.test(w) || /[{}]/.test(w)) throw new Error(`collect template ${t.id}: argv word ${JSON.stringify(w)} is not a plain word`);
  }
}

/** `run NS 'w1' 'w2' "$1"`: static words single-quoted, the discovered name as "$1". */
function runLine(t: CollectTemplate, ns: string): string {
  return `${t.unprivileged ? 'runu' : 'run'} ${ns} ${t.argv.map((w) => (PLACEHOLDERS[w] ? '"$1"' : shellQuote(w))).join(' ')}`;
}

function templateLines(t: CollectTemplate, byId: ReadonlyMap<string, CollectTemplate>, execNs: string): string {
  const fb = t.fallback ? byId.get(t.fallback) : undefined;
  let body: string;
  if (fb) {
    checkTemplate(fb);
    body = `${runLine(t, execNs)}; if [ "$rc" -ne 0 ]; then keep; ${runLine(fb, execNs)}; pick ${shellQuote(t.id)} ${shellQuote(fb.id)}; else emit ${shellQuote(t.id)} "$rc" "$k"; fi`;
  } else {
    body = `${runLine(t, execNs)}; emit ${shellQuote(t.id)} "$rc" "$k"`;
  }
  if (t.discovers) body += `; listed ${t.discovers}`;
  if (t.requires) body = `if command -v ${shellQuote(t.requires)} >/dev/null 2>&1; then ${body}; else skip tool ${shellQuote(t.requires)}${t.discovers ? `; : >"$d/${t.discovers}"` : ''}; fi`;
  return `  ${body}\n`;
}

function checkPathOption(what: string, p: string): void {
  // eslint-disable-next-line no-control-regex -- a path with control characters is refused
  if (/[\x00-\x1f\x7f]/.test(p) || p.length === 0 || p.length > 4096) throw new Error(`${what} must be a plain path`);
}

/**
 * Generates the one POSIX sh script a collection runs (`sh -s`, script on stdin). Discovery runs
 * on the host (`ip netns list`, `ovs-vsctl list-br`, `virsh nwfilter-list`); every other command
 * comes from the allow-list, with static words single-quoted and discovered names passed as
 * quoted positional parameters after the same name check the client applies. Values from the
 * caller (namespace filter, OVS_RUNDIR, PATH) are validated and single-quoted. Throws only on a
 * programming error (a bad template or option), never because of host data.
 */
export function buildCollectScript(opts: CollectScriptOptions): string {
  if (!/^[0-9a-f]{32}$/.test(opts.token)) throw new Error('token must be 32 hex digits');
  const commands = opts.commands ?? COLLECT_COMMANDS;
  const byId = new Map(commands.map((c) => [c.id, c]));
  for (const c of commands) checkTemplate(c);
  const runnable = commands.filter((c) => !c.fallbackOnly);
  const lim = Math.max(0, Math.floor(opts.maxSectionBytes));
  const elim = Math.max(0, Math.floor(opts.maxStderrBytes));
  const lines = (scope: CollectTemplate['scope'], execNs: string): string => runnable.filter((c) => c.scope === scope).map((t) => templateLines(t, byId, execNs)).join('');

  let s = '# osnet read-only collection script (generated; see src/host/collect/buildCollectScript.ts)\n';
  s += `${PRELUDE}\n`;
  // ns_cmds EXEC_NS NAME: the per-namespace commands, each through `ip netns exec EXEC_NS` unless
  // EXEC_NS is empty (root namespace, or already inside the namespace), reported as NAME.
  const nsCmds = `ns_cmds() {\n  group "$2" ''\n${lines('netns', '"$1"')}  flush\n}\n`;
  s += nsCmds;
  s += `bridge_cmds() {\n  group '' "$1"\n${lines('bridge', "''")}  flush\n}\n`;
  s += `nwfilter_cmds() {\n  group '' "$1"\n${lines('nwfilter', "''")}  flush\n}\n`;
  // As root, a namespace is entered ONCE (`ip netns exec NAME sh -c INNER`) and its commands run
  // inside: entering copies the mount namespace and remounts /sys, which costs more than most
  // commands. INNER is constant text (the same functions); the name is a positional parameter.
  // If entering fails (namespace gone), or under sudo (whose NOPASSWD rule should name the
  // read-only commands, not sh), each command runs through `ip netns exec` and reports its error.
  const inner = `set -f\n${PRELUDE}\n${nsCmds}d=$1; T=$2; LIM=$3; ELIM=$4; S=; k=$6; ns_cmds '' "$5"; exit 0\n`;
  s += `INNER=${shellQuote(inner)}\n`;
  s += 'ns_one() {\n';
  s += '  if [ -z "$S" ] && ip netns exec "$1" sh -c "$INNER" sh "$d" "$T" "$LIM" "$ELIM" "$1" "$k" </dev/null 2>/dev/null; then return 0; fi\n';
  s += '  ns_cmds "$1" "$1"\n';
  s += '}\n';
  if (opts.namespaces) {
    for (const n of opts.namespaces) {
      const why = n === '' ? undefined : validateHostObjectName('netns', n);
      if (why) throw new Error(`namespace filter ${JSON.stringify(n)}: ${why}`);
    }
    s += `want_netns() { case $1 in ${opts.namespaces.length > 0 ? opts.namespaces.map(shellQuote).join('|') : "'//none//'"}) return 0;; esac; return 1; }\n`;
  } else {
    s += 'want_netns() { return 0; }\n';
  }
  s += 'want_bridge() { return 0; }\nwant_nwfilter() { return 0; }\n';

  s += 'main() {\n';
  s += '  LC_ALL=C; export LC_ALL; set -f\n';
  if (opts.path !== undefined) {
    checkPathOption('path', opts.path);
    s += `  PATH=${shellQuote(opts.path)}; export PATH\n`;
  } else {
    s += '  PATH="${PATH:-/usr/bin:/bin}:/usr/sbin:/sbin:/usr/local/sbin"; export PATH\n';
  }
  if (opts.ovsRunDir !== undefined) {
    checkPathOption('ovsRunDir', opts.ovsRunDir);
    s += `  OVS_RUNDIR=${shellQuote(opts.ovsRunDir)}; export OVS_RUNDIR\n`;
  }
  s += `  T=${shellQuote(`@@osnet:${opts.token}`)}; LIM=${lim}; ELIM=${elim}; k=0\n`;
  s += "  ctl=$(printf '\\001\\002\\003\\004\\005\\006\\007\\010\\011\\012\\013\\014\\015\\016\\017\\020\\021\\022\\023\\024\\025\\026\\027\\030\\031\\032\\033\\034\\035\\036\\037\\177')\n";
  s += '  umask 077\n';
  // The output files are word-split in flush, so their folder must be a plain path.
  s += '  _t=${TMPDIR:-/tmp}; case $_t in /*) ;; *) _t=/tmp;; esac; case $_t in *[!A-Za-z0-9/._-]*) _t=/tmp;; esac\n';
  s += '  d=$(mktemp -d "$_t/osnet.XXXXXXXXXX") || fatal "mktemp -d failed: cannot create a temporary folder on the host"\n';
  s += '  case $d in *[!A-Za-z0-9/._-]*) fatal "unexpected temporary folder name";; esac\n';
  s += '  trap \'rm -rf "$d"\' EXIT; trap \'exit 129\' HUP; trap \'exit 130\' INT; trap \'exit 143\' TERM; trap \'exit 141\' PIPE\n';
  s += '  for _t in head wc cat cp rm; do command -v "$_t" >/dev/null 2>&1 || fatal "$_t is needed on the host (coreutils)"; done\n';
  s += '  _u=$(id -u 2>/dev/null); S=; _s=0\n';
  s += '  if [ "$_u" != 0 ] && command -v sudo >/dev/null 2>&1; then S=\'sudo -n\'; _s=1; fi\n';
  s += `  printf '%s begin ${PROTOCOL_VERSION} %s %s\\n' "$T" "\${_u:-unknown}" "$_s"\n`;
  s += "  group '' ''\n";
  s += lines('host', "''");
  s += '  flush\n';
  s += "  if want_netns ''; then ns_cmds '' ''; fi\n";
  if (runnable.some((c) => c.discovers === 'bridge')) s += '  each bridge bridge_cmds\n';
  if (runnable.some((c) => c.discovers === 'nwfilter')) s += '  each nwfilter nwfilter_cmds\n';
  if (runnable.some((c) => c.discovers === 'netns')) s += '  each netns ns_one\n';
  s += '  printf \'%s end\\n\' "$T"\n';
  s += '}\nmain\n';
  return s;
}
