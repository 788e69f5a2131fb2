/**
 * Finds each top-level `<filter …>…</filter>` element by offset, so a file holding several
 * filters (concatenated `virsh nwfilter-dumpxml` output, not well-formed XML as a whole) can be
 * parsed filter by filter, and one broken filter does not lose the others.
 * Comments, `<?xml?>` declarations and `<!DOCTYPE>` are skipped; anything else outside a filter
 * is returned in `stray`. A filter without `</filter>` ends where the next `<filter` starts.
 */
export interface FilterElement {
  readonly start: number;
  readonly end: number;
  readonly closed: boolean;
}

export interface FilterScan {
  readonly filters: FilterElement[];
  /** Offsets of non-blank text outside any filter element. */
  readonly stray: number[];
}

function isFilterStartAt(text: string, i: number): boolean {
  if (!text.startsWith('<filter', i)) return false;
  const c = text.charCodeAt(i + 7);
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 62 /* > */ || c === 47 /* / */ || Number.isNaN(c);
}

/** Offset of the next `</filter>` close tag (not `</filterref>`), or -1. */
function nextFilterClose(text: string, from: number): number {
  for (let i = text.indexOf('</filter', from); i !== -1; i = text.indexOf('</filter', i + 8)) {
    const c = text.charCodeAt(i + 8);
    if (c === 62 /* > */ || c === 32 || c === 9 || c === 10 || c === 13) return i;
  }
  return -1;
}

function nextFilterStart(text: string, from: number): number {
  for (let i = text.indexOf('<filter', from); i !== -1; i = text.indexOf('<filter', i + 7)) {
    if (isFilterStartAt(text, i)) return i;
  }
  return -1;
}

/** Offset of the `>` closing the tag that starts at `lt`, skipping quoted attribute values; -1 if none. */
function tagEnd(text: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62) {
      return i;
    } else if (c === 60) {
      return -1; // a new tag starts: this one is unterminated
    }
  }
  return -1;
}

function firstNonBlank(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return i;
  }
  return -1;
}

export function findFilterElements(text: string): FilterScan {
  const filters: FilterElement[] = [];
  const stray: number[] = [];
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const blank = firstNonBlank(text, pos, lt === -1 ? n : lt);
    if (blank !== -1) stray.push(blank);
    if (lt === -1) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      pos = end === -1 ? n : end + 3;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      pos = end === -1 ? n : end + 2;
      continue;
    }
    if (text.startsWith('<!', lt)) {
      const end = text.indexOf('>', lt + 2);
      pos = end === -1 ? n : end + 1;
      continue;
    }
    if (!isFilterStartAt(text, lt)) {
      stray.push(lt);
      const end = tagEnd(text, lt);
      pos = end === -1 ? lt + 1 : end + 1;
      continue;
    }
    const startTagEnd = tagEnd(text, lt);
    if (startTagEnd === -1) {
      const next = nextFilterStart(text, lt + 7);
      filters.push({ start: lt, end: next === -1 ? n : next, closed: false });
      pos = next === -1 ? n : next;
      continue;
    }
    if (text.charCodeAt(startTagEnd - 1) === 47 /* / */) {
      filters.push({ start: lt, end: startTagEnd + 1, closed: true });
      pos = startTagEnd + 1;
      continue;
    }
    const close = nextFilterClose(text, startTagEnd);
    const next = nextFilterStart(text, startTagEnd);
    if (close !== -1 && (next === -1 || close < next)) {
      const closeEnd = text.indexOf('>', close);
      const end = closeEnd === -1 ? n : closeEnd + 1;
      filters.push({ start: lt, end, closed: closeEnd !== -1 });
      pos = end;
    } else {
      const end = next === -1 ? n : next;
      filters.push({ start: lt, end, closed: false });
      pos = end;
    }
  }
  return { filters, stray };
}
