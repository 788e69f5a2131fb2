import type { ParseResult } from '../text/Diagnostic';
import type { IptablesRuleset } from './IptablesModel';
import { parseIptablesList } from './parseIptablesList';
import { parseIptablesRules } from './parseIptablesRules';
import { parseIptablesSave, type IptablesParseOptions } from './parseIptablesSave';
import type { IptablesFormatId } from './sniffIptablesFormat';

/** Format id (from `sniffIptablesFormat`) -> its parser; all three return the same model. */
export const IPTABLES_PARSERS: Readonly<Record<IptablesFormatId, (text: string, opts: IptablesParseOptions) => ParseResult<IptablesRuleset>>> = {
  'iptables-save': parseIptablesSave,
  'iptables-S': parseIptablesRules,
  'iptables-L': parseIptablesList,
};
