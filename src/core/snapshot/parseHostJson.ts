import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';

/** One collected command, as `host.json` of a snapshot folder records it (docs/snapshot-folder.md). */
export interface HostJsonCommand {
  readonly file: string;
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stderr?: string;
  readonly netns?: string;
  readonly bridge?: string;
}

export interface HostJson {
  readonly version: number;
  readonly hostname?: string;
  readonly collectedAt?: string;
  readonly collector?: string;
  readonly commands: readonly HostJsonCommand[];
}

/** Reads `host.json`; a malformed file or entry is reported and skipped, never thrown. */
export function parseHostJson(text: string, opts: ParseOptions): ParseResult<HostJson> {
  const sink = new DiagnosticSink(opts.file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    const pos = m ? Number(m[1]) : 0;
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    sink.error(line, `host.json is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, undefined, pos - before.lastIndexOf('\n'));
    return { value: { version: 0, commands: [] }, diagnostics: sink.diagnostics };
  }
  const obj = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const commands: HostJsonCommand[] = [];
  const list = Array.isArray(obj['commands']) ? (obj['commands'] as unknown[]) : [];
  list.forEach((c, i) => {
    const e = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
    const file = e['file'];
    const argv = e['argv'];
    if (typeof file !== 'string' || !Array.isArray(argv)) {
      sink.warning(1, `host.json: commands[${i}] has no "file" or "argv"; skipped`);
      return;
    }
    const cmd: { -readonly [K in keyof HostJsonCommand]: HostJsonCommand[K] } = {
      file,
      argv: argv.map(String),
      exitCode: typeof e['exitCode'] === 'number' ? e['exitCode'] : 0,
    };
    if (typeof e['stderr'] === 'string') cmd.stderr = e['stderr'];
    if (typeof e['netns'] === 'string') cmd.netns = e['netns'];
    if (typeof e['bridge'] === 'string') cmd.bridge = e['bridge'];
    commands.push(cmd);
  });
  const value: { -readonly [K in keyof HostJson]: HostJson[K] } = { version: typeof obj['version'] === 'number' ? obj['version'] : 0, commands };
  if (typeof obj['hostname'] === 'string') value.hostname = obj['hostname'];
  if (typeof obj['collectedAt'] === 'string') value.collectedAt = obj['collectedAt'];
  if (typeof obj['collector'] === 'string') value.collector = obj['collector'];
  return { value, diagnostics: sink.diagnostics };
}
