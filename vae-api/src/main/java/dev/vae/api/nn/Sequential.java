package dev.vae.api.nn;

import dev.vae.api.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Layers applied one after another, like {@code torch.nn.Sequential}: the children are named
 * {@code "0"}, {@code "1"}, ... so parameters are named {@code "0.weight"}, {@code "2.bias"},
 * exactly as in PyTorch (parameter-free layers take an index too).
 */
public final class Sequential extends Module {
    private final List<Layer> layers;

    /**
     * @param layers the layers in order, none null; may be empty (then forward is the identity).
     *               The sequence takes ownership and closes them in {@link #close()}.
     */
    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    /**
     * @param layers the layers in order, none null; the sequence takes ownership of them
     */
    public Sequential(List<? extends Layer> layers) {
        List<Layer> copy = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer l = Objects.requireNonNull(layers.get(i), "layer " + i);
            copy.add(register(Integer.toString(i), l));
        }
        this.layers = Collections.unmodifiableList(copy);
    }

    /** @return the number of layers */
    public int size() {
        return layers.size();
    }

    /**
     * @param index {@code 0 <= index < size()}
     * @return the layer at {@code index}
     */
    public Layer get(int index) {
        return layers.get(index);
    }

    /** @return the layers in order (unmodifiable) */
    public List<Layer> layers() {
        return layers;
    }

    /** @return {@code x} passed through every layer in order; {@code x} itself if there are none */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h = Objects.requireNonNull(x, "x");
        for (Layer l : layers) {
            h = l.forward(h);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(i).append(": ").append(layers.get(i));
        }
        return sb.append(')').toString();
    }
}
