// Loaded with `node --import` into a bot process under test: the host names in
// MAESTRO_TEST_RESOLVE ("name=address,name=address") resolve to the given loopback
// addresses, for this process only, so an SDK that calls a fixed Microsoft URL reaches
// a local fake (whose certificate the process trusts through NODE_EXTRA_CA_CERTS).
import { installResolver } from './resolve-hosts-core.mjs';

const spec = process.env.MAESTRO_TEST_RESOLVE ?? '';
const table = new Map(spec.split(',').filter(Boolean).map((pair) => pair.split('=')));
installResolver((host) => table.get(host));
