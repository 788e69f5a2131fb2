import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FORMAT_IDS, type FormatId } from '../core/snapshot/FormatId';
import { parseDump, type ParsedDump } from '../core/snapshot/parseDump';
import { summarizeDump } from '../core/snapshot/summarizeDump';
import type { Diagnostic } from '../core/text/Diagnostic';
import { readDumpTree } from '../host/readDumpTree';
import type { CliIo } from './CliIo';

export interface ParseArgs {
  readonly paths: readonly string[];
  readonly format?: string;
  readonly json: boolean;
}

/**
 * `osnet parse FILE_OR_DIR... [--format NAME] [--json]`: detect, parse, summarise, and print every
 * diagnostic as `file:line:col: severity: message`. Exit 0 without errors, 1 with, 2 on usage errors.
 */
export async function runParse(args: ParseArgs, io: CliIo): Promise<number> {
  if (args.paths.length === 0) {
    io.err('osnet parse: give at least one file or folder\n');
    return 2;
  }
  let forced: FormatId | undefined;
  if (args.format !== undefined) {
    if (!(FORMAT_IDS as readonly string[]).includes(args.format)) {
      io.err(`osnet parse: unknown format "${args.format}"; one of: ${FORMAT_IDS.join(', ')}\n`);
      return 2;
    }
    forced = args.format as FormatId;
  }
  let anyError = false;
  for (const p of args.paths) {
    let tree;
    try {
      await fs.access(p);
      tree = await readDumpTree(p);
    } catch (err) {
      io.err(`osnet parse: ${p}: ${err instanceof Error ? err.message : String(err)}\n`);
      anyError = true;
      continue;
    }
    for (const s of tree.skipped) io.err(`${path.join(p, s.relativePath)}: skipped: ${s.reason}\n`);
    for (const f of tree.files) {
      const shown = tree.kind === 'file' ? p : path.join(p, f.relativePath);
      const r = parseDump(f.text, shown, forced);
      const summary = r.parsed ? summarizeDump(r.parsed) : {};
      if (r.diagnostics.some((d) => d.severity === 'error')) anyError = true;
      if (args.json) {
        io.out(`${JSON.stringify({ file: shown, format: r.parsed?.format ?? null, summary, diagnostics: r.diagnostics.map(jsonDiagnostic) })}\n`);
      } else {
        io.out(`${shown}: ${describe(r.parsed, summary)}\n`);
        for (const d of r.diagnostics) io.out(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
      }
    }
  }
  return anyError ? 1 : 0;
}

function jsonDiagnostic(d: Diagnostic): { severity: string; line: number; column: number; message: string } {
  return { severity: d.severity, line: d.line, column: d.column, message: d.message };
}

function describe(parsed: ParsedDump | undefined, summary: Readonly<Record<string, number>>): string {
  if (!parsed) return 'not recognised';
  const counts = Object.entries(summary).map(([k, v]) => `${v} ${k}`).join(', ');
  return `${parsed.format}${counts ? ` (${counts})` : ''}`;
}
