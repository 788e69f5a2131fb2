/** ARP opcode names as ebtables prints them (`--arp-op Request`), index + 1 is the opcode. */
export const ARP_OPCODE_NAMES = [
  'Request',
  'Reply',
  'Request_Reverse',
  'Reply_Reverse',
  'DRARP_Request',
  'DRARP_Reply',
  'DRARP_Error',
  'InARP_Request',
  'ARP_NAK',
] as const;

export function arpOpcodeByName(name: string): number | undefined {
  const i = ARP_OPCODE_NAMES.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  return i === -1 ? undefined : i + 1;
}

export function arpOpcodeName(opcode: number): string | undefined {
  return ARP_OPCODE_NAMES[opcode - 1];
}
