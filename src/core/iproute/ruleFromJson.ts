import { parseCidr } from '../net/Cidr';
import type { IpFamily } from '../net/IpAddress';
import { has, num, str, text, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import type { Mutable } from './Mutable';
import { RULE_ACTIONS, type PolicyRule, type RuleAction } from './PolicyRule';
import { parseIntAuto } from './tokenize';

const ACTION_SET: ReadonlySet<string> = new Set(RULE_ACTIONS);

/** `"sport":80` or `"sport_start":80,"sport_end":90`, as the text form's `sport 80-90`. */
function portRange(o: JsonObject, k: string): string | undefined {
  const single = text(o, k);
  if (single !== undefined) return single;
  const a = num(o, `${k}_start`);
  const b = num(o, `${k}_end`);
  if (a === undefined) return undefined;
  return b === undefined || b === a ? String(a) : `${a}-${b}`;
}

/**
 * One element of `ip -j rule`: `{"priority":1002,"src":"all","fwmark":"0x1","fwmask":"0x1","table":"100"}`,
 * `{"priority":1003,"not":null,...}`, `{"priority":1007,"src":"10.2.0.0","srclen":16,"goto":1010}`,
 * `{"priority":1010,"src":"all","action":"unreachable"}`. Same model as `parseIpRule`. A missing
 * priority or a bad selector gives undefined with a problem reported (a dropped selector would
 * widen the rule).
 */
export function ruleFromJson(o: JsonObject, ctx: JsonContext): PolicyRule | undefined {
  const priority = num(o, 'priority');
  if (priority === undefined) {
    ctx.problem("rule without a numeric 'priority'; skipped", 'error');
    return undefined;
  }
  let family: IpFamily | undefined;
  const r: Mutable<Omit<PolicyRule, 'family' | 'action'>> & { family?: IpFamily; action?: RuleAction } = { priority, not: has(o, 'not'), raw: ctx.raw, span: ctx.span };
  for (const [key, lenKey] of [['src', 'srclen'], ['dst', 'dstlen']] as const) {
    const a = str(o, key);
    if (a === undefined) continue;
    if (a === 'all') {
      if (key === 'src') r.from = 'all';
      continue;
    }
    const len = num(o, lenKey);
    const c = parseCidr(len === undefined ? a : `${a}/${len}`);
    if (!c) {
      ctx.problem(`bad rule ${key} '${a}'; rule skipped`, 'error');
      return undefined;
    }
    if (key === 'src') r.from = c;
    else r.to = c;
    family ??= c.family;
  }
  const fwmark = text(o, 'fwmark');
  if (fwmark !== undefined) {
    const value = parseIntAuto(fwmark);
    const maskText = text(o, 'fwmask');
    const mask = maskText === undefined ? 0xffffffff : parseIntAuto(maskText);
    if (value === undefined || mask === undefined) {
      ctx.problem(`bad fwmark '${fwmark}'; rule skipped`, 'error');
      return undefined;
    }
    r.fwmark = { value, mask };
  }
  const iif = str(o, 'iif');
  if (iif !== undefined) r.iif = iif;
  if (has(o, 'iif_detached')) r.iifDetached = true;
  const oif = str(o, 'oif');
  if (oif !== undefined) r.oif = oif;
  if (has(o, 'oif_detached')) r.oifDetached = true;
  const tos = text(o, 'tos') ?? text(o, 'dsfield');
  if (tos !== undefined) r.tos = tos;
  if (has(o, 'l3mdev')) r.l3mdev = true;
  const uidStart = num(o, 'uid_start');
  const uidEnd = num(o, 'uid_end');
  if (uidStart !== undefined && uidEnd !== undefined) r.uidrange = { start: uidStart, end: uidEnd };
  const ipproto = text(o, 'ipproto');
  if (ipproto !== undefined) r.ipproto = ipproto;
  const sport = portRange(o, 'sport');
  if (sport !== undefined) r.sport = sport;
  const dport = portRange(o, 'dport');
  if (dport !== undefined) r.dport = dport;
  const table = text(o, 'table');
  if (table !== undefined) r.table = table;
  const spl = num(o, 'suppress_prefixlen');
  if (spl !== undefined) r.suppressPrefixLength = spl;
  const sig = text(o, 'suppress_ifgroup');
  if (sig !== undefined) r.suppressIfgroup = sig;
  const protocol = text(o, 'protocol');
  if (protocol !== undefined) r.protocol = protocol;
  let action: RuleAction = 'lookup';
  const gotoTarget = num(o, 'goto');
  const actionText = str(o, 'action');
  if (gotoTarget !== undefined) {
    action = 'goto';
    r.gotoTarget = gotoTarget;
  } else if (actionText !== undefined) {
    if (ACTION_SET.has(actionText)) action = actionText as RuleAction;
    else ctx.problem(`unknown rule action '${actionText}'; read as lookup`);
  } else if (has(o, 'nat')) action = 'nat';
  r.family = family ?? ctx.familyHint ?? 4;
  r.action = action;
  return r as PolicyRule;
}
