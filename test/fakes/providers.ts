/**
 * The provider fakes the tests use, in one place. They live in src/bench/fakes/ because `npm run
 * bench` serves them too (its pipeline runs against them); tests import them only through here.
 */
export * from '../../src/bench/fakes/fake-server.js';
export * from '../../src/bench/fakes/pollinations.js';
export * from '../../src/bench/fakes/inworld.js';
export * from '../../src/bench/fakes/edge.js';
