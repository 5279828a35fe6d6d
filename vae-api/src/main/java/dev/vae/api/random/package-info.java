/**
 * The platform's one random number generator: counter-based Philox4x32-10 with a documented
 * mapping to uniform and normal values, so that every backend and thread count draws the same
 * numbers for the same seed.
 */
package dev.vae.api.random;
