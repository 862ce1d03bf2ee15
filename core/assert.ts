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

/**
 * Throws an AssertionError. Code that runs for every event writes `if (!condition) fail(...)`
 * rather than `assert(condition, ...)`: V8 builds an assert's message before the call even when
 * the condition holds, and a message with numbers in it is some 15 ns of formatting and garbage.
 */
export function fail(message: string): never {
  throw new AssertionError(message);
}

export function assertNever(value: never, what = 'value'): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
