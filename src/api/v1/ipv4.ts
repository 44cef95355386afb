// IPv4 dotted quads, as the apiserver's CEL `isIP(s) && ip(s).family() == 4` accepts them: four
// decimal octets 0-255 without leading zeros (Go's netip refuses "010.0.0.1" as ambiguous).
const octet = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const ipv4RegExp = new RegExp(`^${octet}(\\.${octet}){3}$`);

/** The longest dotted quad, "255.255.255.255": bounds the CEL cost of IP rules. */
export const IPV4_MAX_LENGTH = 15;

export function isIPv4(value: string): boolean {
  return ipv4RegExp.test(value);
}
