/**
 * Reads the collection script's output as it streams in. Every record starts with a header line
 * `@@osnet:TOKEN KIND FIELDS...` (TOKEN is random per run); variable data follows as exactly as
 * many bytes as the header announces, so command output is never scanned for a boundary and
 * cannot fake one:
 *
 *   @@osnet:<token> begin 1 <uid> <sudo 0|1>
 *   @@osnet:<token> sec <id> <exit> <nsLen> <objLen> <outSent> <outTotal> <errSent> <errTotal>
 *   <ns bytes><obj bytes><stdout bytes><stderr bytes>
 *   @@osnet:<token> skip <what> <nameLen>
 *   <name bytes>
 *   @@osnet:<token> fatal <len>
 *   <message bytes>
 *   @@osnet:<token> end
 *
 * Lines before `begin` (a chatty .bashrc) are ignored up to 1 MiB. Anything else that does not
 * follow the grammar, or announces more bytes than the limits allow, stops the parser with
 * `error` set; the records already delivered stay valid (a partial collection).
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

const MAX_HEADER = 512;
const MAX_JUNK = 1024 * 1024;
const MAX_NAME = 1024;
const NUM = /^\d{1,15}$/;

type Pending =
  | { readonly kind: 'section'; readonly id: string; readonly exitCode: number; readonly lens: readonly [number, number, number, number]; readonly totals: readonly [number, number] }
  | { readonly kind: 'skip'; readonly what: string }
  | { readonly kind: 'fatal' };

export class SectionStreamParser {
  private readonly prefix: string;
  private line: Buffer[] = [];
  private lineLength = 0;
  private junk = 0;
  private begun = false;
  private ended = false;
  private pending: Pending | undefined;
  private payload: Buffer | undefined;
  private filled = 0;
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
    return this.pending !== undefined || this.lineLength > 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.failure === undefined && !this.ended) {
      if (this.pending && this.payload) {
        const n = Math.min(chunk.length - pos, this.payload.length - this.filled);
        chunk.copy(this.payload, this.filled, pos, pos + n);
        this.filled += n;
        pos += n;
        if (this.filled === this.payload.length) this.completePayload();
        continue;
      }
      const nl = chunk.indexOf(0x0a, pos);
      const end = nl === -1 ? chunk.length : nl;
      this.lineLength += end - pos;
      if (this.lineLength > (this.begun ? MAX_HEADER : MAX_JUNK)) {
        this.fail(this.begun ? 'a record header is too long' : 'more than 1 MiB of output before the collection started');
        return;
      }
      this.line.push(chunk.subarray(pos, end));
      if (nl === -1) return;
      pos = nl + 1;
      const text = Buffer.concat(this.line).toString('latin1');
      this.line = [];
      this.lineLength = 0;
      this.header(text);
    }
  }

  private fail(why: string): void {
    this.failure ??= why;
    this.pending = undefined;
    this.payload = undefined;
  }

  private header(text: string): void {
    if (!text.startsWith(this.prefix)) {
      if (this.begun) return this.fail(`unexpected output between sections: ${JSON.stringify(text.slice(0, 80))}`);
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
      case 'sec': {
        const [, id, rc, nl, ol, so, to, se, te] = f;
        const nums = [rc, nl, ol, so, to, se, te];
        if (f.length !== 9 || !id || !/^[a-z0-9-]{1,40}$/.test(id) || nums.some((x) => !NUM.test(x ?? ''))) return this.fail(`malformed section header: ${JSON.stringify(text.slice(0, 120))}`);
        const [exit, nsLen, objLen, outSent, outTotal, errSent, errTotal] = nums.map(Number) as [number, number, number, number, number, number, number];
        if (nsLen > MAX_NAME || objLen > MAX_NAME) return this.fail(`section ${id}: a name longer than ${MAX_NAME} bytes`);
        if (outSent > this.limits.maxSectionBytes || outSent > outTotal) return this.fail(`section ${id}: announces ${outSent} bytes of output, over the ${this.limits.maxSectionBytes}-byte limit`);
        if (errSent > this.limits.maxStderrBytes || errSent > errTotal) return this.fail(`section ${id}: announces ${errSent} bytes of stderr, over the limit`);
        this.expect({ kind: 'section', id, exitCode: exit, lens: [nsLen, objLen, outSent, errSent], totals: [outTotal, errTotal] }, nsLen + objLen + outSent + errSent);
        return;
      }
      case 'skip': {
        const [, what, len] = f;
        if (f.length !== 3 || !what || !/^[a-z]{1,20}$/.test(what) || !NUM.test(len ?? '') || Number(len) > MAX_NAME) return this.fail('malformed skip record');
        this.expect({ kind: 'skip', what }, Number(len));
        return;
      }
      case 'fatal': {
        const [, len] = f;
        if (f.length !== 2 || !NUM.test(len ?? '') || Number(len) > 64 * 1024) return this.fail('malformed fatal record');
        this.expect({ kind: 'fatal' }, Number(len));
        return;
      }
      default:
        return this.fail(`unknown record ${JSON.stringify(kind)}`);
    }
  }

  private expect(p: Pending, bytes: number): void {
    this.pending = p;
    this.payload = Buffer.allocUnsafe(bytes);
    this.filled = 0;
    if (bytes === 0) this.completePayload();
  }

  private completePayload(): void {
    const p = this.pending;
    const b = this.payload;
    this.pending = undefined;
    this.payload = undefined;
    if (!p || !b) return;
    switch (p.kind) {
      case 'section': {
        const [nl, bl, ol, el] = p.lens;
        this.onRecord({
          kind: 'section',
          id: p.id,
          exitCode: p.exitCode,
          netns: b.subarray(0, nl),
          object: b.subarray(nl, nl + bl),
          stdout: b.subarray(nl + bl, nl + bl + ol),
          stdoutBytes: p.totals[0],
          stderr: b.subarray(nl + bl + ol, nl + bl + ol + el),
          stderrBytes: p.totals[1],
        });
        return;
      }
      case 'skip':
        this.onRecord({ kind: 'skip', what: p.what, name: b });
        return;
      case 'fatal':
        this.onRecord({ kind: 'fatal', message: b.toString('utf8') });
        return;
    }
  }
}
