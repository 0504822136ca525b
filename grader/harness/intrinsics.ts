/**
 * Built-in prototypes that no global names, which every generator, `for await`, iterator and `break` goes
 * through: the guards watch them (guards.ts) and a reused worker fingerprints them (reuse.ts). Taken when
 * this module loads, before any learner code.
 */
const proto = Object.getPrototypeOf as (value: unknown) => object;
const generator = function* () {};
const asyncGenerator = async function* () {};
const arrayIterator = [][Symbol.iterator]();

export const HIDDEN_INTRINSICS: ReadonlyArray<readonly [string, object]> = [
  ['%GeneratorFunction.prototype%', proto(generator)],
  ['%GeneratorPrototype%', proto(generator.prototype)],
  ['%AsyncGeneratorFunction.prototype%', proto(asyncGenerator)],
  ['%AsyncGeneratorPrototype%', proto(asyncGenerator.prototype)],
  ['%AsyncIteratorPrototype%', proto(proto(asyncGenerator.prototype))],
  ['%AsyncFunction.prototype%', proto(async () => {})],
  ['%ArrayIteratorPrototype%', proto(arrayIterator)],
  ['%IteratorPrototype%', proto(proto(arrayIterator))],
  ['%MapIteratorPrototype%', proto(new Map()[Symbol.iterator]())],
  ['%SetIteratorPrototype%', proto(new Set()[Symbol.iterator]())],
  ['%StringIteratorPrototype%', proto(''[Symbol.iterator]())],
  ['%RegExpStringIteratorPrototype%', proto(/a/[Symbol.matchAll]('a'))],
];
