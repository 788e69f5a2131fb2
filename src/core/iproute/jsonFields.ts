/** Typed reads from `ip -j` objects (JSON.parse gives `unknown`); a wrong type reads as absent. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function has(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

export function str(o: JsonObject, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

/** A string, or a number written as text (`"table": 200` in some versions, `"200"` in others). */
export function text(o: JsonObject, k: string): string | undefined {
  const v = o[k];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function num(o: JsonObject, k: string): number | undefined {
  const v = o[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(o: JsonObject, k: string): boolean | undefined {
  const v = o[k];
  return typeof v === 'boolean' ? v : undefined;
}

export function obj(o: JsonObject, k: string): JsonObject | undefined {
  const v = o[k];
  return isJsonObject(v) ? v : undefined;
}

export function arr(o: JsonObject, k: string): unknown[] | undefined {
  const v = o[k];
  return Array.isArray(v) ? v : undefined;
}

export function strArray(o: JsonObject, k: string): string[] | undefined {
  const a = arr(o, k);
  if (!a) return undefined;
  const out: string[] = [];
  for (const x of a) if (typeof x === 'string') out.push(x);
  return out;
}
