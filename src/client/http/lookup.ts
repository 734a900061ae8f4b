/**
 * Name resolution for the transport: names under `.localhost` resolve to the loopback address
 * without asking DNS (RFC 6761 §6.3: "localhost names … SHOULD always return the IP loopback
 * address"), as browsers do; everything else goes to `dns.lookup`. Local test doubles that serve
 * many workspace hosts on one port (test/account-emulator) rely on it.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

type Callback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost');
}

export function loopbackAwareLookup(hostname: string, options: LookupOptions, callback: Callback): void {
  if (isLocalhostName(hostname)) {
    const wants6 = options.family === 6;
    const address = wants6 ? '::1' : '127.0.0.1';
    const family = wants6 ? 6 : 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
    return;
  }
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) callback(err, []);
    else if (options.all) callback(null, addresses);
    else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
  });
}
