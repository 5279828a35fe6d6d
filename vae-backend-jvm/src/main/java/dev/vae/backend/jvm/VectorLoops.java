package dev.vae.backend.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise loops on the Java Vector API. Used only when {@link VectorSupport#AVAILABLE}; this
 * class links against {@code jdk.incubator.vector} and must not be touched otherwise.
 */
final class VectorLoops {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

    private VectorLoops() {
    }

    /**
     * @return whether the vector species is wide enough to be worth using and a fused
     *         multiply-add gives the scalar result
     */
    static boolean selfTest() {
        if (FS.length() < 4) {
            return false;
        }
        float[] x = new float[FS.length()];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1f + i * 0x1p-20f;
        }
        float[] y = new float[x.length];
        FloatVector v = FloatVector.fromArray(FS, x, 0);
        v.fma(v, v.neg()).intoArray(y, 0);
        for (int i = 0; i < x.length; i++) {
            if (y[i] != Math.fma(x[i], x[i], -x[i])) {
                return false;
            }
        }
        return true;
    }
}
