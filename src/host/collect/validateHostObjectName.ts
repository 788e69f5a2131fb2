/**
 * The names a host reports (network namespaces, OVS bridges, libvirt nwfilters) become a shell
 * argument (always single-quoted or passed as a quoted "$variable", never evaluated) and a folder
 * or file name in the snapshot. So a name must be: 1 to 255 bytes of UTF-8, no control character
 * (newline, tab, ESC...), no `/`, not `.` or `..`. Shell metacharacters are allowed on purpose:
 * `ip netns add 'a;b'` and `ovs-vsctl add-br 'b$(x)'` succeed, and such a name must be collected,
 * not executed. A libvirt filter name may not start with `-` (virsh would read it as an option;
 * OVS tools get `--` first, and `ip netns exec` takes any name).
 *
 * The host script applies the same rule before using a name; this is the client's own check of
 * what came back. Returns why a name is refused, or undefined when it is fine.
 */
export type HostObjectKind = 'netns' | 'bridge' | 'nwfilter';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_CHARS = /[\x00-\x1f\x7f/]/;
const MAX_BYTES = 255;

export function validateHostObjectName(kind: HostObjectKind, name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name === '.' || name === '..') return `"${name}" is not a usable ${kind} name`;
  if (Buffer.byteLength(name, 'utf8') > MAX_BYTES) return `longer than ${MAX_BYTES} bytes`;
  const bad = BAD_CHARS.exec(name);
  if (bad) return bad[0] === '/' ? 'contains "/"' : `contains control character 0x${bad[0].charCodeAt(0).toString(16).padStart(2, '0')}`;
  if (name.includes('\ufffd')) return 'not valid UTF-8';
  if (kind === 'nwfilter' && name.startsWith('-')) return 'starts with "-" (virsh would read it as an option)';
  return undefined;
}

/** Shows a name in messages with control characters escaped, so a hostile name cannot rewrite a terminal. */
export function printableName(name: string): string {
  return JSON.stringify(name).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
