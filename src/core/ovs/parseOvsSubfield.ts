import { ovsFieldByAnyName, type OvsFieldName } from './OvsFieldTable';

/**
 * A bit range of a field, as `load:`, `move:`, `learn(...)`, `ct(zone=...)` and
 * `output:` write it: `NXM_NX_REG6[0..15]`, `NXM_NX_REG10[16]`, `NXM_OF_ETH_SRC[]`, `reg0[0..3]`,
 * or a bare field name meaning the whole field. Bits are numbered from 0 = least significant.
 */
export interface OvsSubfield {
  /** Canonical field; `undefined` when the name is not a known field (kept, and reported). */
  readonly field: OvsFieldName | undefined;
  /** The field name as written: `NXM_NX_REG6`, `OXM_OF_METADATA`, `reg0`. */
  readonly nameAsWritten: string;
  /** First bit (inclusive). */
  readonly start: number;
  /** Last bit (inclusive). */
  readonly end: number;
  /** Written as `NAME[]` or a bare name: the whole field. */
  readonly whole: boolean;
  readonly text: string;
}

export type OvsSubfieldResult =
  | { readonly ok: true; readonly subfield: OvsSubfield }
  | { readonly ok: false; readonly message: string };

const SUBFIELD_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(?:(\d+)(?:\.\.(\d+))?)?\])?$/;

/** Reads `NAME[a..b]` / `NAME[bit]` / `NAME[]` / `NAME`; never throws. */
export function parseOvsSubfield(text: string): OvsSubfieldResult {
  const m = SUBFIELD_RE.exec(text);
  if (!m) return { ok: false, message: `"${text}" is not a field or subfield (expected NAME[], NAME[bit] or NAME[start..end])` };
  const name = m[1] ?? '';
  const def = ovsFieldByAnyName(name);
  const width = def?.bits;
  const whole = m[2] === undefined;
  const start = whole ? 0 : Number(m[2]);
  const end = whole ? (width ?? 1) - 1 : m[3] === undefined ? start : Number(m[3]);
  if (end < start) return { ok: false, message: `${text}: bit range ends before it starts` };
  if (width !== undefined && end >= width) return { ok: false, message: `${text}: bit ${end} is beyond the ${width}-bit field ${def?.name ?? name}` };
  return {
    ok: true,
    subfield: { field: def?.name as OvsFieldName | undefined, nameAsWritten: name, start, end, whole, text },
  };
}

/** The mask of a subfield's bits within its field. */
export function subfieldMask(sf: OvsSubfield): bigint {
  const n = BigInt(sf.end - sf.start + 1);
  return ((1n << n) - 1n) << BigInt(sf.start);
}
