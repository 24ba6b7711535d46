package org.rdnas.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A self-contained HTML page built in order (headings, paragraphs, tables, images, preformatted
 * text, provenance) and its files: {@code index.html} plus the PNGs it references by relative
 * name, so the folder can be copied anywhere and opened offline. All text is HTML-escaped.
 */
public final class HtmlReport {
  /** The page's file name in {@link #files()}. */
  public static final String INDEX = "index.html";
  private static final Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.png");
  private static final String STYLE = "body{font-family:sans-serif;max-width:60em;margin:2em auto;"
      + "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}"
      + "th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}th{background:#f4f4f4}"
      + "td.n{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%}"
      + "pre{background:#f8f8f8;padding:.6em;overflow-x:auto}figure{margin:1em 0}";

  private final String title;
  private final StringBuilder body = new StringBuilder();
  private final Map<String, byte[]> images = new LinkedHashMap<>();

  private HtmlReport(String title) {
    this.title = title;
  }

  /** An empty page with {@code title} as its title and first heading. */
  public static HtmlReport titled(String title) {
    return new HtmlReport(title);
  }

  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A table; cells that parse as numbers are right-aligned. Rows may be shorter than the header. */
  public HtmlReport table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> row : rows) {
      if (row.size() > header.size()) {
        throw new IllegalArgumentException("a row of " + row.size() + " cells under "
            + header.size() + " columns: " + row);
      }
      body.append("<tr>");
      for (String cell : row) {
        body.append(isNumber(cell) ? "<td class=\"n\">" : "<td>").append(escape(cell))
            .append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** A two-column table of {@code entries} in their order. */
  public HtmlReport keyValues(String keyHeader, String valueHeader, Map<String, String> entries) {
    return table(List.of(keyHeader, valueHeader), entries.entrySet().stream()
        .map(e -> List.of(e.getKey(), e.getValue())).toList());
  }

  /**
   * An image stored as {@code fileName} next to the page, with {@code caption} below it.
   *
   * @throws IllegalArgumentException when the name is not a plain {@code .png} file name or is
   *     already used
   */
  public HtmlReport image(String fileName, byte[] png, String caption) {
    if (!IMAGE_NAME.matcher(fileName).matches() || fileName.equals(INDEX)) {
      throw new IllegalArgumentException("image file name " + fileName
          + ": letters, digits, '.', '_' and '-' only, ending in .png");
    }
    if (images.putIfAbsent(fileName, png.clone()) != null) {
      throw new IllegalArgumentException("image file name " + fileName + " used twice");
    }
    body.append("<figure><img src=\"").append(escape(fileName)).append("\" alt=\"")
        .append(escape(caption)).append("\"><figcaption>").append(escape(caption))
        .append("</figcaption></figure>\n");
    return this;
  }

  /**
   * The chart {@code png} draws (see {@link Charts}) as {@code fileName}, or, on a machine where
   * {@link Charts#unavailable() charts cannot be drawn}, a line saying why in its place.
   */
  public HtmlReport chart(String fileName, Supplier<byte[]> png, String caption) {
    Optional<String> problem = Charts.unavailable();
    if (problem.isPresent()) {
      return paragraph("[" + caption + ": not drawn: " + problem.get() + "]");
    }
    return image(fileName, png.get(), caption);
  }

  /** Text shown as it is, in a monospaced block (a configuration, a log excerpt). */
  public HtmlReport preformatted(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  /**
   * The section that says how the outputs were made: when, with which versions, and the resolved
   * configuration.
   */
  public HtmlReport provenance(Instant created, Map<String, String> versions, String config) {
    heading("Provenance");
    paragraph("Report written " + created + ".");
    keyValues("component", "version", versions);
    body.append("<details><summary>resolved configuration</summary>\n");
    preformatted(config);
    body.append("</details>\n");
    return this;
  }

  /** The page. */
  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + escape(title) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<h1>"
        + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
  }

  /** Every file of the report by name: the images, then {@value #INDEX} (write it last). */
  public Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    images.forEach((name, png) -> files.put(name, png.clone()));
    files.put(INDEX, html().getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /** {@code text} with the five characters HTML gives meaning to replaced by entities. */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A number for a table cell: 4 significant digits, "n/a" when it is not finite. */
  public static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
  }

  private static boolean isNumber(String cell) {
    try {
      Double.parseDouble(cell);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
