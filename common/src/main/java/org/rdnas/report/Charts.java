package org.rdnas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Line charts, scatter plots, histograms and bar charts rendered to PNG bytes of a given size, on
 * servers without a display. Values that are not finite (a failed proxy, an undefined
 * correlation) are left out rather than drawn.
 *
 * <p>Drawing text needs at least one font that fontconfig can find; the JDK brings none. Where
 * there is none, {@link #unavailable()} says so and every chart method throws
 * {@link IllegalStateException} with that reason.
 */
public final class Charts {
  /** Width and height, in pixels, of the charts in the jobs' reports. */
  public static final int WIDTH = 800;
  public static final int HEIGHT = 420;

  private static final int MARKERS_UP_TO = 50;
  private static final String PROBLEM;

  static {
    // Before any AWT class initialises: a headful toolkit needs an X display that servers lack.
    System.setProperty("java.awt.headless", "true");
    PROBLEM = probeFonts();
  }

  private Charts() {}

  /**
   * One line of a line chart, optionally with a shaded band (e.g. a confidence interval).
   *
   * @param name the legend entry
   * @param x x values
   * @param y y values, aligned with x
   * @param lower the band's lower bounds, aligned with x, or null for no band
   * @param upper the band's upper bounds, or null
   */
  public record Series(String name, double[] x, double[] y, double[] lower, double[] upper) {
    public Series {
      if (x.length != y.length || (lower == null) != (upper == null)
          || (lower != null && (lower.length != x.length || upper.length != x.length))) {
        throw new IllegalArgumentException("series " + name + ": x, y and bounds differ in length");
      }
    }

    public static Series of(String name, double[] x, double[] y) {
      return new Series(name, x, y, null, null);
    }
  }

  /** Lines through the finite points of each series, with their bands where given. */
  public static byte[] line(String title, String xLabel, String yLabel, List<Series> series,
      int width, int height) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (Series s : series) {
      YIntervalSeries ys = new YIntervalSeries(s.name());
      for (int i = 0; i < s.x().length; i++) {
        double y = s.y()[i];
        if (!Double.isFinite(s.x()[i]) || !Double.isFinite(y)) {
          continue;
        }
        boolean band = s.lower() != null && Double.isFinite(s.lower()[i])
            && Double.isFinite(s.upper()[i]);
        ys.add(s.x()[i], y, band ? s.lower()[i] : y, band ? s.upper()[i] : y);
      }
      data.addSeries(ys);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
        PlotOrientation.VERTICAL, series.size() > 1, false, false);
    // Markers help read a few points (evaluation rounds) and hide the line through thousands (steps).
    int most = series.stream().mapToInt(s -> s.x().length).max().orElse(0);
    DeviationRenderer r = new DeviationRenderer(true, most <= MARKERS_UP_TO);
    r.setAlpha(0.2f);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(r);
    for (int i = 0; i < series.size(); i++) {
      r.setSeriesStroke(i, new BasicStroke(1.5f));
      // The band in its line's colour (looked up once the renderer has the plot's colours).
      r.setSeriesFillPaint(i, r.lookupSeriesPaint(i));
    }
    if (series.stream().allMatch(s -> Arrays.stream(s.x()).allMatch(v -> v == Math.rint(v)))) {
      plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    return png(chart, width, height);
  }

  /** Points (x[i], y[i]) where both are finite. */
  public static byte[] scatter(String title, String xLabel, String yLabel, double[] x,
      double[] y, int width, int height) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("scatter " + title + ": x and y differ in length");
    }
    XYSeries points = new XYSeries(title, false, true);
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        points.add(x[i], y[i]);
      }
    }
    JFreeChart chart = ChartFactory.createScatterPlot(title, xLabel, yLabel,
        new XYSeriesCollection(points), PlotOrientation.VERTICAL, false, false, false);
    ((NumberAxis) chart.getXYPlot().getDomainAxis())
        .setAutoRangeIncludesZero(false);
    ((NumberAxis) chart.getXYPlot().getRangeAxis())
        .setAutoRangeIncludesZero(false);
    return png(chart, width, height);
  }

  /** Counts of the finite values in {@code bins} equal-width bins over their range. */
  public static byte[] histogram(String title, String xLabel, double[] values, int bins,
      int width, int height) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
    HistogramDataset data = new HistogramDataset();
    if (v.length > 0) {
      double min = Arrays.stream(v).min().getAsDouble();
      double max = Arrays.stream(v).max().getAsDouble();
      // One value only: a range of width 1 around it, since a zero-width bin holds nothing.
      double pad = min == max ? 0.5 : 0;
      data.addSeries(title, v, bins, min - pad, max + pad);
    }
    JFreeChart chart = ChartFactory.createHistogram(title, xLabel, "count", data,
        PlotOrientation.VERTICAL, false, false, false);
    chart.getXYPlot().getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYBarRenderer r = (XYBarRenderer) chart.getXYPlot().getRenderer();
    r.setShadowVisible(false);
    r.setDrawBarOutline(true);
    r.setBarPainter(new StandardXYBarPainter());
    return png(chart, width, height);
  }

  /**
   * Grouped bars: for each category (x axis, in order) one bar per series, from
   * {@code values.get(series)[category]}; a non-finite value draws no bar.
   */
  public static byte[] bars(String title, String valueLabel, List<String> categories,
      Map<String, double[]> values, int width, int height) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, double[]> s : values.entrySet()) {
      if (s.getValue().length != categories.size()) {
        throw new IllegalArgumentException("bars " + s.getKey() + ": " + s.getValue().length
            + " values for " + categories.size() + " categories");
      }
      for (int i = 0; i < categories.size(); i++) {
        double v = s.getValue()[i];
        data.addValue(Double.isFinite(v) ? v : null, s.getKey(), categories.get(i));
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, data,
        PlotOrientation.VERTICAL, values.size() > 1, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setShadowVisible(false);
    r.setBarPainter(new StandardBarPainter());
    return png(chart, width, height);
  }

  /** Why charts cannot be drawn on this machine, or empty when they can. */
  public static Optional<String> unavailable() {
    return Optional.ofNullable(PROBLEM);
  }

  /**
   * Draws one character, to find out whether charts can be drawn. Without fonts the JDK's font
   * manager fails to initialise with an {@link Error} or an {@link InternalError} (a
   * {@link VirtualMachineError}, though the VM is fine), not an exception.
   */
  private static String probeFonts() {
    try {
      Graphics2D g = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB).createGraphics();
      try {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.drawString("0", 0, 8);
      } finally {
        g.dispose();
      }
      return null;
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (Throwable e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "Java cannot draw text here (" + root + "); usually no font is installed: install "
          + "one with fontconfig, e.g. the Debian/Ubuntu package fonts-dejavu-core or the RHEL "
          + "package dejavu-sans-fonts";
    }
  }

  /** Plain white plots with grey grid lines; then the PNG. */
  private static byte[] png(JFreeChart chart, int width, int height) {
    if (PROBLEM != null) {
      throw new IllegalStateException(PROBLEM);
    }
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("chart size " + width + "x" + height);
    }
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    Plot p = chart.getPlot();
    p.setBackgroundPaint(Color.WHITE);
    p.setNoDataMessage("no values");
    if (p instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    } else if (p instanceof CategoryPlot c) {
      c.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
