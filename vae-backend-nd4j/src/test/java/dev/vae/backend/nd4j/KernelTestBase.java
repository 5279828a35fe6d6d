package dev.vae.backend.nd4j;

import dev.vae.api.DType;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.DeviceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One backend instance per test class, closed at the end. */
abstract class KernelTestBase {
    static Nd4jKernels k;

    @BeforeAll
    static void start() {
        k = new Nd4jKernels(BackendConfig.defaults().withThreads(2));
    }

    @AfterAll
    static void stop() {
        k.close();
    }

    static DeviceArray make(DType t, double[] values, int... shape) {
        return Ref.make(k, t, values, shape);
    }

    static double[] read(DeviceArray a, int... shape) {
        return Ref.read(k, a, shape);
    }
}
