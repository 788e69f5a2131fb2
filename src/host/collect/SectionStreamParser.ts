/**
 * Reads the collection script's output as it streams in. Every record starts with a header line
 * `@@osnet:TOKEN KIND FIELDS...` (TOKEN is random per run); variable data follows as exactly as
 * many bytes as announced, so command output is never scanned for a boundary and cannot fake one:
 *
 *   @@osnet:<token> begin 2 <uid> <sudo 0|1>
 *   @@osnet:<token> group <nsLen> <objLen> <count>         the sections of one namespace / bridge
 *   <ns bytes><obj bytes>
 *   <id> <exit> <outSent> <outTotal> <errSent> <errTotal>   count lines, written by the script
 *   <stdout bytes><stderr bytes>                            of each section, in order
 *   @@osnet:<token> skip <what> <nameLen>
 *   <name bytes>
 *   @@osnet:<token> fatal <len>
 *   <message bytes>
 *   @@osnet:<token> end
 *
 * Each section is delivered as soon as its bytes are in. Lines before `begin` (a chatty .bashrc)
 * are ignored up to 1 MiB. Anything else that does not follow the grammar, or announces more
 * bytes than the limits allow, stops the parser with `error` set; the records already delivered
 * stay valid (a partial collection).
 */
export type StreamRecord =
  | { readonly kind: 'begin'; readonly version: number; readonly uid: string; readonly sudo: boolean }
  | {
      readonly kind: 'section';
      readonly id: string;
      readonly exitCode: number;
      readonly netns: Buffer;
      readonly object: Buffer;
      readonly stdout: Buffer;
      /** Bytes the command printed on the host (more than stdout.length when cut). */
      readonly stdoutBytes: number;
      readonly stderr: Buffer;
      readonly stderrBytes: number;
    }
  | { readonly kind: 'skip'; readonly what: string; readonly name: Buffer }
  | { readonly kind: 'fatal'; readonly message: string }
  | { readonly kind: 'end' };

export interface StreamLimits {
  readonly maxSectionBytes: number;
  readonly maxStderrBytes: number;
}

const MAX_LINE = 512;
const MAX_JUNK = 1024 * 1024;
const MAX_NAME = 1024;
const MAX_GROUP = 10_000;
const NUM = /^\d{1,15}$/;

interface SectionMeta {
  readonly id: string;
  readonly exitCode: number;
  readonly outSent: number;
  readonly outTotal: number;
  readonly errSent: number;
  readonly errTotal: number;
}

interface Group {
  netns: Buffer;
  object: Buffer;
  readonly count: number;
  readonly metas: SectionMeta[];
}

export class SectionStreamParser {
  private readonly prefix: string;
  private line: Buffer[] = [];
  private lineLength = 0;
  private junk = 0;
  private begun = false;
  private ended = false;
  /** Bytes expected next, and what to do with them. */
  private bytes: { buf: Buffer; filled: number; done: (b: Buffer) => void } | undefined;
  /** A group whose section lines (then payloads) are being read. */
  private group: Group | undefined;
  private failure: string | undefined;

  constructor(
    token: string,
    private readonly limits: StreamLimits,
    private readonly onRecord: (r: StreamRecord) => void,
  ) {
    this.prefix = `@@osnet:${token} `;
  }

  /** Why parsing stopped early (protocol violation), if it did. */
  get error(): string | undefined {
    return this.failure;
  }

  get sawEnd(): boolean {
    return this.ended;
  }

  /** True while a record is half received (the connection dropped in the middle of it). */
  get midRecord(): boolean {
    return this.bytes !== undefined || this.group !== undefined || this.lineLength > 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.failure === undefined && !this.ended) {
      const b = this.bytes;
      if (b) {
        const n = Math.min(chunk.length - pos, b.buf.length - b.filled);
        chunk.copy(b.buf, b.filled, pos, pos + n);
        b.filled += n;
        pos += n;
        if (b.filled === b.buf.length) {
          this.bytes = undefined;
          b.done(b.buf);
        }
        continue;
      }
      const nl = chunk.indexOf(0x0a, pos);
      const end = nl === -1 ? chunk.length : nl;
      this.lineLength += end - pos;
      if (this.lineLength > (this.begun ? MAX_LINE : MAX_JUNK)) {
        this.fail(this.begun ? 'a record line is too long' : 'more than 1 MiB of output before the collection started');
        return;
      }
      this.line.push(chunk.subarray(pos, end));
      if (nl === -1) return;
      pos = nl + 1;
      const text = Buffer.concat(this.line).toString('latin1');
      this.line = [];
      this.lineLength = 0;
      if (this.group) this.groupLine(this.group, text);
      else this.header(text);
    }
  }

  private fail(why: string): void {
    this.failure ??= why;
    this.bytes = undefined;
    this.group = undefined;
  }

  private expect(length: number, done: (b: Buffer) => void): void {
    if (length === 0) done(Buffer.alloc(0));
    else this.bytes = { buf: Buffer.allocUnsafe(length), filled: 0, done };
  }

  private header(text: string): void {
    if (!text.startsWith(this.prefix)) {
      if (this.begun) return this.fail(`unexpected output between records: ${JSON.stringify(text.slice(0, 80))}`);
      this.junk += text.length + 1;
      if (this.junk > MAX_JUNK) this.fail('more than 1 MiB of output before the collection started');
      return;
    }
    const f = text.slice(this.prefix.length).split(' ');
    const kind = f[0];
    if (kind === 'begin') {
      if (this.begun || f.length !== 4 || !NUM.test(f[1] ?? '')) return this.fail('malformed begin record');
      this.begun = true;
      this.onRecord({ kind: 'begin', version: Number(f[1]), uid: f[2] ?? '', sudo: f[3] === '1' });
      return;
    }
    if (!this.begun) return this.fail(`${kind ?? ''} record before begin`);
    switch (kind) {
      case 'end':
        if (f.length !== 1) return this.fail('malformed end record');
        this.ended = true;
        this.onRecord({ kind: 'end' });
        return;
      case 'group': {
        const [, nl, ol, count] = f;
        if (f.length !== 4 || ![nl, ol, count].every((x) => NUM.test(x ?? ''))) return this.fail(`malformed group header: ${JSON.stringify(text.slice(0, 120))}`);
        const [nsLen, objLen, n] = [Number(nl), Number(ol), Number(count)];
        if (nsLen > MAX_NAME || objLen > MAX_NAME) return this.fail(`a name longer than ${MAX_NAME} bytes`);
        if (n < 1 || n > MAX_GROUP) return this.fail(`a group of ${n} sections`);
        this.expect(nsLen + objLen, (b) => {
          this.group = { netns: b.subarray(0, nsLen), object: b.subarray(nsLen), count: n, metas: [] };
        });
        return;
      }
      case 'skip': {
        const [, what, len] = f;
        if (f.length !== 3 || !what || !/^[a-z]{1,20}$/.test(what) || !NUM.test(len ?? '') || Number(len) > MAX_NAME) return this.fail('malformed skip record');
        this.expect(Number(len), (b) => this.onRecord({ kind: 'skip', what, name: b }));
        return;
      }
      case 'fatal': {
        const [, len] = f;
        if (f.length !== 2 || !NUM.test(len ?? '') || Number(len) > 64 * 1024) return this.fail('malformed fatal record');
        this.expect(Number(len), (b) => this.onRecord({ kind: 'fatal', message: b.toString('utf8') }));
        return;
      }
      default:
        return this.fail(`unknown record ${JSON.stringify(kind)}`);
    }
  }

  /** `<id> <exit> <outSent> <outTotal> <errSent> <errTotal>`; after the last one, the payloads. */
  private groupLine(g: Group, text: string): void {
    const f = text.split(' ');
    const [id, ...nums] = f;
    if (f.length !== 6 || !id || !/^[a-z0-9-]{1,40}$/.test(id) || nums.some((x) => !NUM.test(x))) return this.fail(`malformed section line: ${JSON.stringify(text.slice(0, 120))}`);
    const [exitCode, outSent, outTotal, errSent, errTotal] = nums.map(Number) as [number, number, number, number, number];
    if (outSent > this.limits.maxSectionBytes || outSent > outTotal) return this.fail(`section ${id}: announces ${outSent} bytes of output, over the ${this.limits.maxSectionBytes}-byte limit`);
    if (errSent > this.limits.maxStderrBytes || errSent > errTotal) return this.fail(`section ${id}: announces ${errSent} bytes of stderr, over the limit`);
    g.metas.push({ id, exitCode, outSent, outTotal, errSent, errTotal });
    if (g.metas.length === g.count) this.nextPayload(g, 0);
  }

  /** Delivers sections from index i on; stops at the first one whose bytes are still to come. */
  private nextPayload(g: Group, first: number): void {
    for (let i = first; i < g.metas.length; i++) {
      const m = g.metas[i] as SectionMeta;
      const deliver = (b: Buffer): void => this.onRecord({
        kind: 'section',
        id: m.id,
        exitCode: m.exitCode,
        netns: g.netns,
        object: g.object,
        stdout: b.subarray(0, m.outSent),
        stdoutBytes: m.outTotal,
        stderr: b.subarray(m.outSent),
        stderrBytes: m.errTotal,
      });
      const size = m.outSent + m.errSent;
      if (size === 0) {
        deliver(Buffer.alloc(0));
        continue;
      }
      this.bytes = {
        buf: Buffer.allocUnsafe(size),
        filled: 0,
        done: (b) => {
          deliver(b);
          this.nextPayload(g, i + 1);
        },
      };
      return;
    }
    this.group = undefined;
  }
}
