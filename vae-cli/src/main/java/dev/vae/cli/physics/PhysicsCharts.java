package dev.vae.cli.physics;

import dev.vae.cli.output.ImageGrid;
import dev.vae.cli.output.Png;
import dev.vae.models.physics.EnergyModel;
import dev.vae.models.physics.sampler.FreeEnergyTrainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** XChart plots of the physics commands, written as PNG files. */
final class PhysicsCharts {
    private PhysicsCharts() {
    }

    /**
     * The training curve: the batch estimate of the (joint) variational free energy per step,
     * against the exact free energy at the target temperature.
     *
     * @param file    the PNG
     * @param curve   the training points
     * @param beta    the target inverse temperature
     * @param exactF  the reference F, or NaN
     * @param isF     the final importance-sampling estimate, or NaN
     * @param title   the chart title
     */
    static void trainingCurve(Path file, List<FreeEnergyTrainer.Point> curve, double beta, double exactF, double isF, String title) {
        Png.headless();
        XYChart c = new XYChartBuilder().width(900).height(550).title(title).xAxisTitle("training step")
                .yAxisTitle("free energy").build();
        c.getStyler().setMarkerSize(0);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        // plot the steps at the target temperature (annealed steps estimate F at another beta)
        int stride = Math.max(1, curve.size() / 2000);
        for (int i = 0; i < curve.size(); i += stride) {
            FreeEnergyTrainer.Point p = curve.get(i);
            if (Math.abs(p.beta() - beta) <= 1e-12 * beta) {
                x.add((double) p.step());
                y.add(p.bound());
            }
        }
        if (x.isEmpty()) {
            FreeEnergyTrainer.Point p = curve.get(curve.size() - 1);
            x.add((double) p.step());
            y.add(p.bound());
        }
        c.addSeries("variational bound (batch estimate)", x, y).setMarker(SeriesMarkers.NONE);
        double x0 = x.get(0);
        double x1 = x.get(x.size() - 1);
        if (Double.isFinite(exactF)) {
            c.addSeries("exact F", new double[] {x0, x1}, new double[] {exactF, exactF}).setMarker(SeriesMarkers.NONE)
                    .setLineColor(Color.BLACK);
        }
        if (Double.isFinite(isF)) {
            c.addSeries("importance-sampling F (final)", new double[] {x0, x1}, new double[] {isF, isF})
                    .setMarker(SeriesMarkers.NONE).setLineColor(Color.RED);
        }
        Png.write(file, BitmapEncoder.getBufferedImage(c));
    }

    /**
     * A histogram of the log importance weights relative to their maximum.
     *
     * @param file  the PNG
     * @param logw  the log-weights
     * @param title the chart title
     */
    static void logWeightHistogram(Path file, double[] logw, String title) {
        Png.headless();
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double v : logw) {
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        double lo = Math.max(min, max - 30) - max;
        int bins = 60;
        double width = Math.max(1e-9, -lo / bins);
        double[] counts = new double[bins];
        for (double v : logw) {
            if (Double.isFinite(v)) {
                int b = (int) Math.floor((v - max - lo) / width);
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            labels.add(String.format(Locale.ROOT, "%.2f", lo + (b + 0.5) * width));
            values.add(counts[b]);
        }
        CategoryChart c = new CategoryChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("ln w - max ln w").yAxisTitle("samples").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(90);
        c.getStyler().setAvailableSpaceFill(0.95);
        c.addSeries("log-weights", labels, values);
        Png.write(file, BitmapEncoder.getBufferedImage(c));
    }

    /**
     * Spin lattices as a grid of black (-1) and white (+1) tiles.
     *
     * @param file    the PNG
     * @param x       configurations, row-major, {@code -1/+1}
     * @param n       how many to draw
     * @param side    the lattice side
     * @param columns tiles per row
     */
    static void lattices(Path file, double[] x, int n, int side, int columns) {
        Png.headless();
        int d = side * side;
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) x[i];
        }
        int[] tile = {side, side};
        Png.write(file, ImageGrid.draw(f, n, d, tile, columns, -1, 1, Math.max(2, ImageGrid.scaleFor(tile))));
    }

    /**
     * Samples of a continuous system drawn as points over contour lines of its energy in the first
     * two coordinates (the others set to zero).
     *
     * @param file  the PNG
     * @param model the system (dimension at least 2)
     * @param beta  inverse temperature (contours are spaced in units of {@code 1/beta})
     * @param sets  named sample sets ({@code n * D} values each)
     * @param title the chart title
     */
    static void contourScatter(Path file, EnergyModel model, double beta, Map<String, double[]> sets, String title) {
        Png.headless();
        int dim = model.dimension();
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (double[] s : sets.values()) {
            for (int i = 0; i + dim <= s.length; i += dim) {
                x0 = Math.min(x0, s[i]);
                x1 = Math.max(x1, s[i]);
                y0 = Math.min(y0, s[i + 1]);
                y1 = Math.max(y1, s[i + 1]);
            }
        }
        double px = 0.1 * (x1 - x0 + 1e-9);
        double py = 0.1 * (y1 - y0 + 1e-9);
        x0 -= px;
        x1 += px;
        y0 -= py;
        y1 += py;
        int g = 240;
        double[][] u = new double[g + 1][g + 1];
        double[] buf = new double[dim];
        double umin = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= g; i++) {
            for (int j = 0; j <= g; j++) {
                buf[0] = x0 + (x1 - x0) * i / g;
                buf[1] = y0 + (y1 - y0) * j / g;
                u[i][j] = model.energy(buf, 0);
                umin = Math.min(umin, u[i][j]);
            }
        }
        XYChart c = new XYChartBuilder().width(850).height(750).title(title).xAxisTitle("x0").yAxisTitle("x1").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(2);
        double[] levels = {0.5, 1, 2, 3, 4, 6, 8, 10, 13, 16, 20, 25};
        List<Double> cx = new ArrayList<>();
        List<Double> cy = new ArrayList<>();
        for (double lv : levels) {
            double level = umin + lv / beta;
            for (int i = 0; i < g; i++) {
                for (int j = 0; j <= g; j++) {
                    crossing(u[i][j], u[i + 1][j], level, x0 + (x1 - x0) * i / g, x0 + (x1 - x0) * (i + 1) / g,
                            y0 + (y1 - y0) * j / g, true, cx, cy);
                }
            }
            for (int i = 0; i <= g; i++) {
                for (int j = 0; j < g; j++) {
                    crossing(u[i][j], u[i][j + 1], level, y0 + (y1 - y0) * j / g, y0 + (y1 - y0) * (j + 1) / g,
                            x0 + (x1 - x0) * i / g, false, cx, cy);
                }
            }
        }
        if (!cx.isEmpty()) {
            XYSeries s = c.addSeries("energy contours, 0.5 to 25 kT above the minimum", cx, cy);
            s.setMarkerColor(new Color(170, 170, 170));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
        int k = 0;
        for (Map.Entry<String, double[]> e : sets.entrySet()) {
            double[] s = e.getValue();
            int n = Math.min(s.length / dim, 4000);
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = s[i * dim];
                ys[i] = s[i * dim + 1];
            }
            XYSeries series = c.addSeries(e.getKey(), xs, ys);
            series.setMarkerColor(colors[k++ % colors.length]);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        c.getStyler().setMarkerSize(3);
        Png.write(file, BitmapEncoder.getBufferedImage(c));
    }

    private static void crossing(double a, double b, double level, double t0, double t1, double other, boolean alongX,
                                 List<Double> cx, List<Double> cy) {
        if ((a - level) * (b - level) < 0 && Double.isFinite(a) && Double.isFinite(b)) {
            double t = t0 + (t1 - t0) * (level - a) / (b - a);
            cx.add(alongX ? t : other);
            cy.add(alongX ? other : t);
        }
    }

    /**
     * The latent code of every configuration against its temperature: its projection on the
     * ordered-phase axis as points, and the spread (standard deviation) of that projection per
     * temperature as a line.
     *
     * @param file       the PNG
     * @param projection one projected code per configuration
     * @param temps      one temperature per configuration
     * @param tc         the critical temperature to mark, or NaN
     * @param title      the chart title
     */
    static void latentVsTemperature(Path file, double[] projection, double[] temps, double tc, String title) {
        Png.headless();
        int n = temps.length;
        XYChart c = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("temperature T")
                .yAxisTitle("latent code along the ordered-phase axis").build();
        c.getStyler().setMarkerSize(3);
        Map<Double, double[]> acc = new TreeMap<>();
        double zmax = 0;
        for (int i = 0; i < n; i++) {
            double[] a = acc.computeIfAbsent(temps[i], t -> new double[3]);
            a[0] += projection[i];
            a[1] += projection[i] * projection[i];
            a[2]++;
            zmax = Math.max(zmax, Math.abs(projection[i]));
        }
        XYSeries pts = c.addSeries("code of each configuration", temps, projection);
        pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        pts.setMarker(SeriesMarkers.CIRCLE);
        double[] tx = new double[acc.size()];
        double[] ty = new double[acc.size()];
        int k = 0;
        for (Map.Entry<Double, double[]> e : acc.entrySet()) {
            double[] a = e.getValue();
            double mean = a[0] / a[2];
            tx[k] = e.getKey();
            ty[k++] = Math.sqrt(Math.max(0, a[1] / a[2] - mean * mean));
        }
        XYSeries spread = c.addSeries("spread of the code per temperature", tx, ty);
        spread.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        spread.setMarker(SeriesMarkers.DIAMOND);
        spread.setLineColor(Color.RED);
        spread.setMarkerColor(Color.RED);
        if (Double.isFinite(tc)) {
            XYSeries line = c.addSeries(String.format(Locale.ROOT, "T_c = %.3f (Onsager)", tc), new double[] {tc, tc},
                    new double[] {-zmax, zmax});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.BLACK);
        }
        Png.write(file, BitmapEncoder.getBufferedImage(c));
    }
}
