package dev.vae.backend.djl;

import ai.djl.pytorch.engine.PtNDArray;

import java.util.ArrayList;

/**
 * The intermediate tensors of one kernel call, closed together when the call ends (normally or
 * by an exception), so that no temporary outlives the kernel that made it.
 */
final class Temps implements AutoCloseable {
    private final ArrayList<PtNDArray> list = new ArrayList<>(8);

    /**
     * @param t a tensor to close when this scope ends
     * @return {@code t}
     */
    PtNDArray add(PtNDArray t) {
        list.add(t);
        return t;
    }

    @Override
    public void close() {
        for (int i = list.size() - 1; i >= 0; i--) {
            list.get(i).close();
        }
        list.clear();
    }
}
