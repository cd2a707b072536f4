/** See resolve-hosts-core.mjs. */
export function installResolver(addressOf: (host: string) => string | undefined): () => void;
