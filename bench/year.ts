import { benchSimulatedYear } from './simulate.js';

/**
 * The simulated year on its own, for `npm run bench` to run in a fresh process (with
 * --expose-gc): the heap it measures then holds the year's cloud and nothing the other benches
 * left behind, and its JIT state is its own. Prints the figures as one line of JSON.
 */
process.stdout.write(`${JSON.stringify(benchSimulatedYear())}\n`);
