package org.rdnas.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Text is escaped everywhere, and every image the page references is among its files. */
class HtmlReportTest {
  /** Stands in for an image: the page does not look inside. */
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  /** The {@code src} of every {@code img} in {@code html}. */
  static List<String> imageSources(String html) {
    Matcher m = Pattern.compile("<img src=\"([^\"]*)\"").matcher(html);
    return m.results().map(r -> r.group(1)).toList();
  }

  @Test
  void escapesAllText() {
    String evil = "<script>alert('x & \"y\"')</script>";
    String html = HtmlReport.titled(evil).heading(evil).paragraph(evil)
        .table(List.of(evil), List.of(List.of(evil))).preformatted(evil)
        .image("a.png", PNG, evil)
        .provenance(Instant.EPOCH, Map.of(evil, evil), evil).html();
    assertFalse(html.contains("<script>"), html);
    assertFalse(html.contains("'x"), html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"));
    assertEquals("a&lt;b&gt;&amp;&quot;&#39;", HtmlReport.escape("a<b>&\"'"));
  }

  @Test
  void filesHoldEveryReferencedImageAndThePageLast() {
    HtmlReport r = HtmlReport.titled("run").image("loss.png", PNG, "losses")
        .paragraph("text").image("tau.png", PNG, "tau");
    Map<String, byte[]> files = r.files();
    assertEquals(List.of("loss.png", "tau.png", HtmlReport.INDEX), List.copyOf(files.keySet()));
    String html = new String(files.get(HtmlReport.INDEX), StandardCharsets.UTF_8);
    assertEquals(List.of("loss.png", "tau.png"), imageSources(html));
    for (String src : imageSources(html)) {
      assertTrue(files.containsKey(src), src);
    }
  }

  @Test
  void aChartIsAnImageWhereChartsCanBeDrawnAndASentenceWhereNot() {
    HtmlReport r = HtmlReport.titled("t").chart("h.png",
        () -> Charts.histogram("h", "v", new double[] {1, 2}, 2, 50, 40), "values");
    String html = r.html();
    if (Charts.unavailable().isEmpty()) {
      assertEquals(List.of("h.png"), imageSources(html));
      assertTrue(r.files().get("h.png").length > 0);
    } else {
      assertEquals(List.of(), imageSources(html));
      assertTrue(html.contains("values: not drawn: "), html);
    }
  }

  @Test
  void tablesRightAlignNumbersAndRefuseRowsWiderThanTheHeader() {
    String html = HtmlReport.titled("t").table(List.of("proxy", "tau"),
        List.of(List.of("synflow", HtmlReport.number(0.123456)), List.of("zen", "n/a"))).html();
    assertTrue(html.contains("<td>synflow</td><td class=\"n\">0.1235</td>"), html);
    assertTrue(html.contains("<td>n/a</td>"), html);
    assertEquals("n/a", HtmlReport.number(Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> HtmlReport.titled("t").table(List.of("a"), List.of(List.of("1", "2"))));
  }

  @Test
  void imageNamesMustBePlainAndUnique() {
    for (String bad : List.of("../x.png", "a/b.png", "x.jpg", "a b.png", "\"x.png", ".png")) {
      assertThrows(IllegalArgumentException.class,
          () -> HtmlReport.titled("t").image(bad, PNG, "c"), bad);
    }
    HtmlReport r = HtmlReport.titled("t").image("x.png", PNG, "c");
    assertThrows(IllegalArgumentException.class, () -> r.image("x.png", PNG, "again"));
  }
}
