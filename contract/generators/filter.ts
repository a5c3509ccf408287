/** Filtering that cannot hang, and the error generators raise when a schema cannot be satisfied. */
import fc from "fast-check";

export class GeneratorError extends Error {
  override name = "GeneratorError";
}

const FILTER_ATTEMPTS = 1000;

/**
 * fast-check's filter retries forever; a schema whose constraints cannot be met together would hang the run.
 * This one gives up with a GeneratorError naming the constraint instead.
 */
class BoundedFilter<T> extends fc.Arbitrary<T> {
  constructor(private readonly arb: fc.Arbitrary<T>, private readonly keep: (value: T) => boolean, private readonly what: string) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    for (let i = 0; i < FILTER_ATTEMPTS; i++) {
      const g = this.arb.generate(mrng, biasFactor);
      if (this.keep(g.value)) return g;
    }
    throw new GeneratorError(`no generated value satisfied ${this.what} in ${FILTER_ATTEMPTS} attempts`);
  }
  canShrinkWithoutContext(value: unknown): value is T {
    return this.arb.canShrinkWithoutContext(value) && this.keep(value);
  }
  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.arb.shrink(value, context).filter((v) => this.keep(v.value));
  }
}

/** Keeps the values `keep` accepts; throws GeneratorError rather than hang when it accepts (almost) none. */
export const filtered = <T>(arb: fc.Arbitrary<T>, keep: (value: T) => boolean, what: string): fc.Arbitrary<T> => new BoundedFilter(arb, keep, what);

