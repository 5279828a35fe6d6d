package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BinaryOp;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.ReduceOp;
import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Release, the live-array count, shared view storage, native frees and in-place assignment. */
class MemoryTest extends KernelTestBase {

    @Test
    void releaseDecreasesLiveArrays() {
        long base = k.liveArrays();
        DeviceArray a = k.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3});
        DeviceArray b = k.unary(UnaryOp.EXP, a);
        DeviceArray v = k.permute(a, new int[] {1, 0});
        DeviceArray e = k.full(new int[] {0, 3}, DType.FLOAT32, 1);
        assertEquals(base + 4, k.liveArrays());
        k.release(b);
        assertEquals(base + 3, k.liveArrays());
        k.release(b);
        assertEquals(base + 3, k.liveArrays(), "a second release is ignored");
        k.release(e);
        k.release(v);
        k.release(a);
        assertEquals(base, k.liveArrays());
        assertThrows(IllegalStateException.class, () -> k.unary(UnaryOp.EXP, a));
    }

    @Test
    void viewsKeepStorageAliveAndTheLastReleaseFreesIt() {
        Nd4jArray a = (Nd4jArray) k.fromDoubles(Ref.iota(12), new int[] {3, 4});
        Nd4jArray.Storage storage = a.storage();
        DeviceArray p = k.permute(a, new int[] {1, 0});
        DeviceArray s = k.slice(p, 0, 1, 3);
        DeviceArray r = k.reshape(a, new int[] {12});
        DeviceArray c = k.cast(a, DType.FLOAT64);
        assertEquals(5, storage.refs());
        k.release(a);
        assertFalse(storage.owner().wasClosed());
        Ref.assertClose("view after base release", new double[] {1, 5, 9, 2, 6, 10}, read(s, 2, 3), 0, 0);
        Ref.assertClose("reshape after base release", Ref.iota(12), read(r, 12), 0, 0);
        k.release(p);
        k.release(s);
        k.release(r);
        assertFalse(storage.owner().wasClosed());
        k.release(c);
        assertTrue(storage.owner().wasClosed(), "native buffer freed with the last array");
    }

    @Test
    void everyKernelResultOwnsFreshStorage() {
        DeviceArray a = k.fromFloats(new float[] {1, -2, 3, -4, 5, -6}, new int[] {2, 3});
        DeviceArray[] results = {
            k.unary(UnaryOp.SOFTPLUS, a), k.binary(BinaryOp.MAX, a, a), k.reduce(ReduceOp.SUM, a, new int[] {1}, false),
            k.matmul(a, a, false, true), k.concat(List.of(a, a), 0), k.gatherRows(a, new int[] {1}), k.scalar(BinaryOp.MUL, a, 2),
            k.where(a, a, a), k.logSumExp(a, 1, true), k.cast(a, DType.FLOAT64),
        };
        for (DeviceArray r : results) {
            Nd4jArray n = (Nd4jArray) r;
            assertEquals(1, n.storage().refs());
            k.release(r);
            assertTrue(n.storage().owner().wasClosed(), "freed: " + r);
            assertTrue(n.isReleased());
        }
        k.release(a);
    }

    @Test
    void manyStepsLeaveLiveArraysFlat() {
        DeviceArray w = k.fromFloats(new float[64 * 32], new int[] {32, 64});
        DeviceArray m = k.full(new int[] {32, 64}, DType.FLOAT32, 0);
        DeviceArray v = k.full(new int[] {32, 64}, DType.FLOAT32, 0);
        long base = k.liveArrays();
        for (int step = 0; step < 1000; step++) {
            DeviceArray x = k.philoxNormal(1, 0, step, new int[] {16, 64}, DType.FLOAT32);
            DeviceArray y = k.linear(x, w, null);
            DeviceArray z = k.unary(UnaryOp.TANH, y);
            DeviceArray loss = k.reduce(ReduceOp.SUM, z, new int[] {0, 1}, false);
            DeviceArray g = k.matmul(z, x, true, false);
            k.adamStep(w, g, m, v, new dev.vae.api.spi.AdamHyper(1e-3, 0.9, 0.999, 1e-8, 0.5, 0.5, 0));
            for (DeviceArray t : new DeviceArray[] {x, y, z, loss, g}) {
                k.release(t);
            }
        }
        assertEquals(base, k.liveArrays());
    }

    @Test
    void assignIsCopyOnWriteForSharedStorage() {
        DeviceArray a = k.fromDoubles(new double[6], new int[] {2, 3});
        DeviceArray src = k.fromDoubles(Ref.iota(6), new int[] {2, 3});
        k.assign(a, src);
        Ref.assertClose("assign", Ref.iota(6), read(a, 2, 3), 0, 0);
        DeviceArray view = k.permute(a, new int[] {1, 0});
        k.assign(view, k.fromDoubles(new double[] {10, 11, 12, 13, 14, 15}, new int[] {3, 2}));
        Ref.assertClose("the view holds what was assigned", new double[] {10, 11, 12, 13, 14, 15}, read(view, 3, 2), 0, 0);
        Ref.assertClose("the base does not see a write through its view", Ref.iota(6), read(a, 2, 3), 0, 0);
        DeviceArray row = k.slice(a, 0, 1, 2);
        k.assign(a, k.fromDoubles(new double[] {-1, -2, -3, -4, -5, -6}, new int[] {2, 3}));
        Ref.assertClose("the slice does not see a write to its base", new double[] {3, 4, 5}, read(row, 1, 3), 0, 0);
        Ref.assertClose("the base holds what was assigned", new double[] {-1, -2, -3, -4, -5, -6}, read(a, 2, 3), 0, 0);
        // overlapping source and target
        DeviceArray sq = k.fromDoubles(Ref.iota(9), new int[] {3, 3});
        k.assign(sq, k.permute(sq, new int[] {1, 0}));
        Ref.assertClose("assign own transpose", new double[] {0, 3, 6, 1, 4, 7, 2, 5, 8}, read(sq, 3, 3), 0, 0);
        DeviceArray s0 = k.fromFloats(new float[] {1}, new int[0]);
        k.assign(s0, k.fromFloats(new float[] {5}, new int[0]));
        Ref.assertClose("rank-0", new double[] {5}, read(s0), 0, 0);
        DeviceArray e = k.full(new int[] {0}, DType.FLOAT32, 0);
        k.assign(e, e);
    }

    @Test
    void closeReleasesEverything() {
        Nd4jKernels other = new Nd4jKernels(BackendConfig.defaults().withThreads(1));
        try {
            Nd4jArray a = (Nd4jArray) other.fromFloats(new float[] {1, 2}, new int[] {2});
            other.unary(UnaryOp.EXP, a);
            assertEquals(2, other.liveArrays());
            other.close();
            assertEquals(0, other.liveArrays());
            assertTrue(a.isReleased());
            assertTrue(a.storage().owner().wasClosed());
            assertThrows(IllegalStateException.class, () -> other.fromFloats(new float[] {1}, new int[] {1}));
        } finally {
            other.close();
            k = new Nd4jKernels(BackendConfig.defaults().withThreads(2));
        }
    }
}
