import type { NetnsEntry } from './NetnsEntry';
import { str, text, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import type { Mutable } from './Mutable';

/** `ip -j netns`: `{"name":"qrouter-...","id":7}`. */
export function netnsFromJson(o: JsonObject, ctx: JsonContext): NetnsEntry | undefined {
  const name = str(o, 'name');
  if (name === undefined) return undefined;
  const e: Mutable<NetnsEntry> = { name, raw: ctx.raw, span: ctx.span };
  const id = text(o, 'id');
  if (id !== undefined && /^\d+$/.test(id)) e.id = Number(id);
  return e;
}
