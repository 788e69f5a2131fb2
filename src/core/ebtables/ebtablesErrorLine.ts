/**
 * Lines ebtables writes to stderr that end up in captured dumps (`2>&1`, sosreport), e.g.
 * `ebtables v1.8.9 (nf_tables): table 'broute' does not exist` or
 * `The kernel doesn't support the ebtables 'filter' table.` Parsers report them as warnings.
 */
const ERROR_LINE = /^(ebtables(-legacy|-nft)?( v[\d.]+( \([a-z_]+\))?)?: |The kernel doesn't support|Perhaps ebtables or your kernel|Unable to update the kernel|Chain '.*' doesn't exist|Table '.*' does not exist)/;

export function isEbtablesErrorLine(line: string): boolean {
  return ERROR_LINE.test(line.trimStart());
}
