/**
 * Programmer-error checks. A failed assertion means the code is wrong, not the input: it throws,
 * and in the simulator the failure is reported together with the seed that reproduces it.
 * Input errors and rejections never go through here; they are values (see errors.ts).
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertNever(value: never, what = 'value'): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
