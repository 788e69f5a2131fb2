import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** One file found under a snapshot folder, sosreport or command-line argument. */
export interface DumpFile {
  readonly absolutePath: string;
  /** Relative to the root it was found under, with '/' separators (what classifyPath reads). */
  readonly relativePath: string;
  readonly text: string;
}

export interface DumpTree {
  readonly root: string;
  readonly kind: 'file' | 'folder' | 'sosreport';
  readonly files: DumpFile[];
  /** Files passed over and why (too large, unreadable); reported, never fatal. */
  readonly skipped: { relativePath: string; reason: string }[];
}

/** A sosreport holds thousands of files; only these subtrees describe host networking. */
const SOSREPORT_SUBTREES = ['sos_commands/networking', 'sos_commands/openvswitch', 'sos_commands/firewall_tables',
  'sos_commands/ebtables', 'sos_commands/kernel', 'sos_commands/libvirt', 'sos_commands/ovn_host', 'etc/libvirt/nwfilter',
  'etc/hostname', 'hostname', 'proc/sys/net'];

const MAX_FILE_BYTES = 512 * 1024 * 1024;
const IGNORED_NAMES = new Set(['.git', 'node_modules', '.DS_Store']);
/** Files that sit beside dumps in our own sample folders but are not host state. */
const IGNORED_FILES = new Set(['observed.json', 'README.md', 'README']);

/**
 * Reads a single dump file, a snapshot folder (every file, recursively) or an extracted sosreport
 * (only its networking subtrees). Symbolic links are not followed, so a hostile tree cannot loop.
 */
export async function readDumpTree(root: string): Promise<DumpTree> {
  const stat = await fs.stat(root);
  const skipped: { relativePath: string; reason: string }[] = [];
  if (!stat.isDirectory()) {
    const files: DumpFile[] = [];
    const text = await readText(root, path.basename(root), skipped);
    if (text !== undefined) files.push({ absolutePath: root, relativePath: path.basename(root), text });
    return { root, kind: 'file', files, skipped };
  }
  const isSos = await exists(path.join(root, 'sos_commands'));
  const starts = isSos ? SOSREPORT_SUBTREES.map((s) => path.join(root, s)) : [root];
  const files: DumpFile[] = [];
  for (const start of starts) {
    if (!(await exists(start))) continue;
    await walk(root, start, files, skipped);
  }
  files.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
  return { root, kind: isSos ? 'sosreport' : 'folder', files, skipped };
}

async function walk(root: string, dir: string, out: DumpFile[], skipped: { relativePath: string; reason: string }[]): Promise<void> {
  const st = await fs.lstat(dir);
  if (st.isFile()) {
    const rel = path.relative(root, dir).split(path.sep).join('/');
    const text = await readText(dir, rel, skipped);
    if (text !== undefined) out.push({ absolutePath: dir, relativePath: rel, text });
    return;
  }
  if (!st.isDirectory()) return;
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (IGNORED_NAMES.has(e.name) || IGNORED_FILES.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(root, p, out, skipped);
    else if (e.isFile()) {
      const rel = path.relative(root, p).split(path.sep).join('/');
      const text = await readText(p, rel, skipped);
      if (text !== undefined) out.push({ absolutePath: p, relativePath: rel, text });
    }
  }
}

async function readText(file: string, rel: string, skipped: { relativePath: string; reason: string }[]): Promise<string | undefined> {
  try {
    const st = await fs.stat(file);
    if (st.size > MAX_FILE_BYTES) {
      skipped.push({ relativePath: rel, reason: `${st.size} bytes is over the ${MAX_FILE_BYTES}-byte limit` });
      return undefined;
    }
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    skipped.push({ relativePath: rel, reason: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
