package dev.vae.cli;

import dev.vae.api.random.Rng;
import dev.vae.models.data.DataSplit;
import dev.vae.models.data.Dataset;
import dev.vae.models.data.Datasets;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options that choose and prepare a data set (shared by train, eval and reconstruct). */
final class DataOptions {
    @Option(names = "--dataset", required = true, paramLabel = "SPEC",
            description = "a data set name (fashion-mnist, mnist, ...), a directory of IDX files, or an .npy/.csv file")
    String dataset;

    @Option(names = "--data-option", paramLabel = "KEY=VALUE",
            description = "data set option, repeatable: dir=DIR for the IDX sets; test=FILE, labels=FILE, test-labels=FILE, "
                    + "label-column=NAME, test-fraction=F, seed=N for single files")
    Map<String, String> dataOptions = new LinkedHashMap<>();

    @Option(names = "--scale", paramLabel = "FACTOR", description = "multiply every feature by FACTOR (e.g. 0.00392156862 for bytes)")
    Double scale;

    @Option(names = "--binarize", description = "binarise features in [0, 1] once, with a fixed seed (Bernoulli sampling)")
    boolean binarize;

    /** @return the training and test sets, scaled and binarised as asked */
    DataSplit load() {
        DataSplit s = Datasets.load(dataset, dataOptions);
        Dataset train = s.train();
        Dataset test = s.test();
        if (scale != null) {
            train = train.scaled(scale.floatValue());
            test = test.scaled(scale.floatValue());
        }
        if (binarize) {
            train = train.binarized(new Rng(0x5eed).split(1));
            test = test.binarized(new Rng(0x5eed).split(2));
        }
        return new DataSplit(train, test);
    }
}
