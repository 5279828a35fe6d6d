/**
 * Exact and numerically exact reference results: {@link dev.vae.models.physics.exact.IsingExact}
 * (Kaufman's 1949 finite-lattice partition function of the 2-D Ising model on a torus, computed in
 * log space, its analytic derivative for the mean energy and the heat capacity, and brute-force
 * enumeration for small lattices), {@link dev.vae.models.physics.exact.Onsager} (the infinite
 * lattice) and {@link dev.vae.models.physics.exact.Quadrature} (adaptive Gauss–Legendre
 * quadrature of Boltzmann factors in one and two dimensions).
 */
package dev.vae.models.physics.exact;
