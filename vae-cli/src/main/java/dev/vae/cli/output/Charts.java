package dev.vae.cli.output;

import dev.vae.models.train.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** XChart plots of training runs, written as PNG. */
public final class Charts {
    private Charts() {
    }

    /** Writes the training and test loss per example against the epoch. */
    public static void lossCurves(Path file, List<EpochMetrics> history, String title) {
        Png.headless();
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch")
                .yAxisTitle("negative ELBO per example (nats)").build();
        c.getStyler().setMarkerSize(6);
        c.getStyler().setYAxisDecimalPattern("#,##0.0");
        c.getStyler().setXAxisDecimalPattern("0");
        List<Double> e = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        List<Double> testE = new ArrayList<>();
        List<Double> test = new ArrayList<>();
        for (EpochMetrics m : history) {
            e.add((double) m.epoch());
            train.add(m.trainLoss());
            if (Double.isFinite(m.testLoss())) {
                testE.add((double) m.epoch());
                test.add(m.testLoss());
            }
        }
        if (!e.isEmpty()) {
            c.addSeries("train", e, train).setMarker(SeriesMarkers.CIRCLE);
        }
        if (!testE.isEmpty()) {
            c.addSeries("test", testE, test).setMarker(SeriesMarkers.DIAMOND);
        }
        Png.write(file, BitmapEncoder.getBufferedImage(c));
    }

    /**
     * Writes a scatter of 2-D latent codes, one series per label value (or one series when
     * {@code labels} is null).
     */
    public static void latentScatter(Path file, double[] codes, double[] labels, String labelName, String title) {
        Png.headless();
        XYChart c = new XYChartBuilder().width(800).height(700).title(title).xAxisTitle("z1").yAxisTitle("z2").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        Map<Double, List<double[]>> groups = new TreeMap<>();
        int n = codes.length / 2;
        for (int i = 0; i < n; i++) {
            double key = labels == null ? 0 : labels[i];
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {codes[2 * i], codes[2 * i + 1]});
        }
        for (Map.Entry<Double, List<double[]>> g : groups.entrySet()) {
            double[] x = g.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = g.getValue().stream().mapToDouble(p -> p[1]).toArray();
            String name = labels == null ? "test set" : labelName + " " + format(g.getKey());
            c.addSeries(name, x, y);
        }
        Png.write(file, BitmapEncoder.getBufferedImage(c));
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
