/**
 * True when the head of the text (64 KiB) is libvirt nwfilter XML: a `<filter name=…>` start tag
 * with a `chain=` attribute, or followed by `<rule`, `<filterref` or `<uuid>`. A domain XML
 * (`<domain`) or filter binding (`<filterbinding`) also holds `<filterref>`, so it is refused.
 * Plain string scans only, so a hostile 50 MB input costs one pass over 64 KiB.
 */
export function sniffNwfilterXml(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  if (/<(domain|filterbinding|interface|network)[\s>]/.test(head)) return false;
  for (let i = head.indexOf('<filter'); i !== -1; i = head.indexOf('<filter', i + 7)) {
    if (!/[\s>/]/.test(head.charAt(i + 7))) continue; // <filterref>
    const end = head.indexOf('>', i);
    if (end === -1) return false;
    const tag = head.slice(i, end + 1);
    if (!/\sname\s*=\s*['"]/.test(tag)) continue;
    if (/\schain\s*=/.test(tag) || tag.endsWith('/>')) return true;
    let j = end + 1;
    for (;;) {
      while (j < head.length && /\s/.test(head.charAt(j))) j++;
      if (!head.startsWith('<!--', j)) break;
      const close = head.indexOf('-->', j + 4);
      if (close === -1) return false;
      j = close + 3;
    }
    return /^<(rule|filterref|uuid)[\s>/]/.test(head.slice(j, j + 12));
  }
  return false;
}
