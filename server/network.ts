import {isIP, type BlockList} from 'node:net';

/** Adds an address (`203.0.113.7`) or CIDR (`203.0.113.0/24`, `2001:db8::/32`) to `list`; throws when it is neither. */
export function addToBlockList(list: BlockList, entry: string): void {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) throw new Error(`not an address: ${entry}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) return list.addAddress(address, type);
  const bits = Number(prefix);
  if (!/^[0-9]{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`not a prefix: ${entry}`);
  list.addSubnet(address, bits, type);
}

/** True for URLs on this machine (localhost, *.localhost, 127.0.0.0/8, ::1): http is fine there even in production. */
export function isLoopbackUrl(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}
