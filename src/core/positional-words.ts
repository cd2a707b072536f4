import type { Arg } from './arg-spec.js';
import type { Token } from './tokenize.js';

/**
 * Which word goes to which positional: in order, except that an optional positional
 * before a required one (`scale [<service>] <replicas>`, arg-spec allows one) is left
 * out when there are too few words for both, so the required one gets the word.
 */
export function assignWords(params: readonly Arg[], words: readonly Token[]): Map<string, Token> {
  const wordOf = new Map<string, Token>();
  let spare = words.length - params.filter((p) => !p.optional).length;
  let next = 0;
  params.forEach((param, index) => {
    const beforeRequired = param.optional && params.slice(index + 1).some((p) => !p.optional);
    if (beforeRequired && spare <= 0) return;
    if (param.optional) spare--;
    const word = words[next++];
    if (word) wordOf.set(param.key, word);
  });
  return wordOf;
}
