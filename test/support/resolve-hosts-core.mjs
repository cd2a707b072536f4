import dns from 'node:dns';

const original = dns.lookup;

/**
 * Answers dns.lookup for the names `addressOf` knows, and leaves every other name to the
 * system resolver. net, tls, https and undici's fetch all resolve through dns.lookup.
 * Returns the function that restores the original.
 */
export function installResolver(addressOf) {
  dns.lookup = function lookup(hostname, options, callback) {
    const done = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? {} : typeof options === 'number' ? { family: options } : (options ?? {});
    const address = typeof hostname === 'string' ? addressOf(hostname.toLowerCase()) : undefined;
    if (!address) return original.call(dns, hostname, options, callback);
    const family = address.includes(':') ? 6 : 4;
    process.nextTick(() => (opts.all ? done(null, [{ address, family }]) : done(null, address, family)));
    return {};
  };
  return () => {
    dns.lookup = original;
  };
}
