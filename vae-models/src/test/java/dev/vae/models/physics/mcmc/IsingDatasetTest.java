package dev.vae.models.physics.mcmc;

import dev.vae.api.random.Rng;
import dev.vae.models.data.Dataset;
import dev.vae.models.physics.IsingModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsingDatasetTest {
    @Test
    void labelledConfigurationsAcrossTheTransition() {
        IsingModel m = new IsingModel(8);
        double[] temps = {1.5, 2.27, 3.5};
        Dataset d = IsingDataset.generate(m, temps, 40, 100, 2, IsingMonteCarlo.Algorithm.WOLFF, new Rng(1), null);
        assertEquals(120, d.size());
        assertEquals(64, d.dim());
        assertArrayEquals(new int[] {8, 8}, d.sampleShape());
        assertEquals("temperature", d.labels().orElseThrow().name());
        double[] absM = new double[3];
        for (int i = 0; i < d.size(); i++) {
            double m1 = 0;
            for (int j = 0; j < 64; j++) {
                float v = d.get(i, j);
                assertTrue(v == 0 || v == 1, "features are 0/1");
                m1 += 2 * v - 1;
            }
            assertEquals(temps[i / 40], d.labels().get().get(i), 0);
            absM[i / 40] += Math.abs(m1) / 64 / 40;
        }
        // ordered below T_c = 2.269, disordered well above (Onsager: m(1.5) = 0.986; |m| ~ 0.1-0.2 at T = 3.5, L = 8)
        assertTrue(absM[0] > 0.95, "|m| at T=1.5: " + absM[0]);
        assertTrue(absM[2] < 0.35, "|m| at T=3.5: " + absM[2]);
        assertTrue(absM[1] < absM[0] && absM[1] > absM[2]);
    }
}
