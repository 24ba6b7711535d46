package org.rdnas.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.space.Nb201Space;
import org.rdnas.testing.SharedData;

/**
 * The notebooks in {@code notebooks/} against real outputs of both jobs: a tiny run of job 1 and of
 * job 2 in both modes (C=4, N=1, synthetic images, synthetic ground truth) on {@code local[2]}.
 * {@code notebooks/contract.json} names every file, column and summary.json field each notebook
 * reads; the outputs must have them with the declared types, and the notebooks' code may use no
 * other names. Where a Python with pandas, pyarrow, matplotlib and nbclient is found, each notebook
 * is executed end to end against the outputs; elsewhere that test is skipped, naming what is
 * missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebookContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NOTEBOOKS = Path.of("..", "notebooks");
  private static final List<String> NOTEBOOK_FILES = List.of("01_proxy_ranking.ipynb",
      "02_training.ipynb", "03_spos_vs_rdnas.ipynb");
  private static final List<String> TINY = List.of("space.name=nb201-no-none",
      "space.channels=4", "space.cells=1", "data.source=synthetic");
  /** 80 synthetic images, 32 held out: 3 steps of 16 per epoch, 2 epochs, eval every epoch. */
  private static final List<String> TRAIN = List.of("data.synthetic-size=80",
      "train.held-out=32", "train.epochs=2", "train.batch-size=16", "train.micro-batch=8",
      "train.lr=0.05", "train.checkpoint-every=6", "train.eval-every=1",
      "eval.top-k=3", "eval.bootstrap=20", "eval.batch-size=32", "train.workers=2");
  /** Python modules a notebook run needs. */
  private static final List<String> MODULES =
      List.of("pandas", "pyarrow", "matplotlib", "nbclient", "nbformat", "ipykernel");

  private SparkSession spark;
  private Path root;
  private Path truth;
  private Path archs;
  private JsonNode contract;
  private final Map<String, Path> runs = new LinkedHashMap<>();
  private LocalSpark local;

  @BeforeAll
  void produceOutputs(@TempDir Path tmp) throws IOException {
    contract = JSON.readTree(NOTEBOOKS.resolve("contract.json").toFile());
    // For working on the notebooks: -Drdnas.notebooks.outputs=DIR keeps the outputs there.
    String keep = System.getProperty("rdnas.notebooks.outputs");
    root = keep == null || keep.isBlank() ? tmp : Path.of(keep).toAbsolutePath();
    Files.createDirectories(root);
    local = LocalSpark.startOneThread("NotebookContractTest");
    spark = local.session();
    Configurator.setRootLevel(Level.WARN);
    truth = root.resolve("nb201_synthetic.csv");
    writeGroundTruth(truth);
    // The same 12 archs are scored and evaluated, so eval rows have teacher scores.
    archs = root.resolve("archs.txt");
    Files.write(archs, Nb201Space.withoutNone().sample(12, 3).stream().map(Object::toString)
        .toList());

    // Job 1 into the RD-NAS run's folder (its ranking is where job 2 looks by default).
    Path rdnas = root.resolve("runs").resolve("rdnas-seed0");
    List<String> scoring = new ArrayList<>(TINY);
    scoring.addAll(List.of("proxies=[synflow, naswot, snip, flops, params]",
        "candidates.mode=file", "candidates.file=" + archs, "proxy.batch-size=8",
        "data.synthetic-size=64", "ground-truth.path=" + truth, "output.path=" + rdnas));
    ProxyScoringJob.run(spark, scoring.toArray(new String[0]));
    train(rdnas, "train.mode=rdnas");
    runs.put("rdnas", rdnas);
    Path spos = root.resolve("runs").resolve("spos-seed0");
    train(spos, "train.mode=spos", "ranking.path=" + rdnas.resolve("ranking"));
    runs.put("spos", spos);
  }

  private void train(Path out, String... more) {
    List<String> a = new ArrayList<>(TINY);
    a.addAll(TRAIN);
    a.add("ground-truth.path=" + truth);
    a.add("eval.archs-file=" + archs);
    a.add("output.path=" + out);
    a.addAll(List.of(more));
    assertEquals(0, DistillTrainJob.execute(spark, a.toArray(new String[0])), "job 2 in " + out);
  }

  @AfterAll
  void stop() {
    if (local != null) {
      local.close();
    }
  }

  /** The NAS-Bench-201 CSV's two columns the notebooks use, for the no-none space. */
  private static void writeGroundTruth(Path path) throws IOException {
    SplittableRandom rng = new SplittableRandom(5);
    StringBuilder csv = new StringBuilder("arch_index,arch_str,valid_test_acc\n");
    Nb201Space.withoutNone().stream().forEach(a -> csv.append(a.id()).append(',').append(a)
        .append(',').append(60 + 30 * rng.nextDouble()).append('\n'));
    Files.writeString(path, csv);
  }


  private JsonNode notebook(String name) throws IOException {
    return JSON.readTree(NOTEBOOKS.resolve(name).toFile());
  }

  private static String text(JsonNode source) {
    if (source.isTextual()) {
      return source.asText();
    }
    StringBuilder sb = new StringBuilder();
    source.forEach(line -> sb.append(line.asText()));
    return sb.toString();
  }

  @Test
  void notebooksAreNbformat4WithoutOutputsAndATaggedParametersCellFirst() throws IOException {
    Set<String> listed = new TreeSet<>();
    contract.get("notebooks").fieldNames().forEachRemaining(listed::add);
    assertEquals(new TreeSet<>(NOTEBOOK_FILES), listed, "contract.json lists every notebook");
    for (String name : NOTEBOOK_FILES) {
      JsonNode nb = notebook(name);
      assertEquals(4, nb.path("nbformat").asInt(), name);
      assertTrue(nb.path("nbformat_minor").isInt(), name);
      assertTrue(nb.path("metadata").isObject(), name);
      assertEquals("python3", nb.path("metadata").path("kernelspec").path("name").asText(), name);
      assertTrue(nb.path("cells").isArray() && nb.get("cells").size() > 0, name);
      JsonNode firstCode = null;
      for (JsonNode cell : nb.get("cells")) {
        String type = cell.path("cell_type").asText();
        assertTrue(Set.of("code", "markdown", "raw").contains(type), name + ": cell type " + type);
        assertTrue(cell.path("metadata").isObject(), name);
        assertTrue(cell.path("source").isTextual() || cell.path("source").isArray(), name);
        if (nb.get("nbformat_minor").asInt() >= 5) {
          assertTrue(cell.path("id").isTextual(), name + ": nbformat 4.5 cells need an id");
        }
        if (type.equals("code")) {
          assertTrue(cell.path("outputs").isArray() && cell.get("outputs").isEmpty(),
              name + ": committed without outputs");
          assertTrue(cell.path("execution_count").isNull(), name + ": not executed");
          firstCode = firstCode == null ? cell : firstCode;
        }
      }
      assertNotNull(firstCode, name);
      assertTrue(firstCode.path("metadata").path("tags").toString().contains("\"parameters\""),
          name + ": the first code cell is tagged parameters");
    }
  }

  /** Spark's type for a contract type name. */
  private static DataType sparkType(String t) {
    return switch (t) {
      case "int32" -> DataTypes.IntegerType;
      case "int64" -> DataTypes.LongType;
      case "double" -> DataTypes.DoubleType;
      case "string" -> DataTypes.StringType;
      default -> throw new AssertionError("unknown contract type " + t);
    };
  }

  @Test
  void parquetTablesOfBothModesHaveTheContractColumnsWithTheirTypes() {
    for (Path run : runs.values()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = contract.get("tables").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> table = it.next();
        Path dir = run.resolve(table.getKey());
        if (table.getKey().equals("ranking") && !Files.isDirectory(dir)) {
          continue; // the SPOS run read the RD-NAS run's table
        }
        StructType schema = spark.read().parquet(dir.toString()).schema();
        assertTrue(spark.read().parquet(dir.toString()).count() > 0, dir + " has rows");
        Set<String> declared = new LinkedHashSet<>();
        table.getValue().get("columns").fields().forEachRemaining(c -> {
          declared.add(c.getKey());
          assertTrue(List.of(schema.fieldNames()).contains(c.getKey()),
              dir + " has column " + c.getKey() + "; it has " + List.of(schema.fieldNames()));
          assertEquals(sparkType(c.getValue().asText()), schema.apply(c.getKey()).dataType(),
              dir + " column " + c.getKey());
        });
        if (table.getKey().equals("ranking")) {
          List<String> others = Stream.of(schema.fields()).map(StructField::name)
              .filter(n -> !declared.contains(n)).toList();
          assertFalse(others.isEmpty(), "ranking has proxy columns");
          for (String n : others) {
            assertEquals(DataTypes.DoubleType, schema.apply(n).dataType(), "ranking column " + n);
            if (!n.endsWith("_ms")) {
              assertTrue(others.contains(n + "_ms"), "ranking has " + n + "_ms");
            }
          }
        } else {
          assertEquals(declared, new LinkedHashSet<>(List.of(schema.fieldNames())),
              dir + ": the contract lists every column, in order");
        }
      }
    }
  }

  /** Checks {@code path} ("a.b[].c") of {@code node} against {@code type}; names what is wrong. */
  private static void checkJson(JsonNode node, String path, String[] parts, int i, String type) {
    if (i == parts.length) {
      boolean nullable = type.endsWith("?");
      String t = nullable ? type.substring(0, type.length() - 1) : type;
      if (node.isNull()) {
        assertTrue(nullable, path + " is null");
        return;
      }
      boolean ok = switch (t) {
        case "string" -> node.isTextual();
        case "number" -> node.isNumber();
        case "array" -> node.isArray();
        case "object" -> node.isObject();
        default -> throw new AssertionError("unknown contract type " + type);
      };
      assertTrue(ok, path + " is a " + t + ": " + node);
      return;
    }
    if (node.isNull()) {
      assertTrue(type.endsWith("?"), path + ": null before " + parts[i]);
      return;
    }
    boolean array = parts[i].endsWith("[]");
    String key = array ? parts[i].substring(0, parts[i].length() - 2) : parts[i];
    assertTrue(node.has(key), path + ": no field " + key + " in " + node);
    JsonNode child = node.get(key);
    if (array) {
      assertTrue(child.isArray() && child.size() > 0, path + ": " + key + " is a non-empty array");
      child.forEach(e -> checkJson(e, path, parts, i + 1, type));
    } else {
      checkJson(child, path, parts, i + 1, type);
    }
  }

  @Test
  void summaryJsonOfBothModesHasTheContractFields() throws IOException {
    for (Map.Entry<String, Path> run : runs.entrySet()) {
      JsonNode summary = JSON.readTree(run.getValue().resolve("summary.json").toFile());
      assertEquals(run.getKey(), summary.path("mode").asText());
      contract.get("summary.json").fields().forEachRemaining(f -> checkJson(summary,
          run.getKey() + " summary.json " + f.getKey(), f.getKey().split("\\."), 0,
          f.getValue().asText()));
      // With ground truth, the fields the notebooks plot are there, not only allowed to be null.
      assertTrue(summary.at("/evaluation/final/kendall_tau_b/estimate").isNumber(), run.getKey());
    }
  }

  /**
   * The contract's metrics and eval columns are the journal records' components, and the ranking
   * table's fixed columns are the table schema's: the one declaration each table has.
   */
  @Test
  void tableColumnsAreTheirRecordsAndSchema() {
    for (Map.Entry<String, Class<? extends Record>> t : Map.<String, Class<? extends Record>>of(
        "metrics", org.rdnas.train.StepRow.class, "eval", org.rdnas.train.EvalRow.class)
        .entrySet()) {
      List<String> components = java.util.Arrays.stream(t.getValue().getRecordComponents())
          .map(c -> RecordParquet.snakeCase(c.getName())).toList();
      List<String> contracted = new java.util.ArrayList<>();
      contract.get("tables").get(t.getKey()).get("columns").fieldNames()
          .forEachRemaining(contracted::add);
      assertEquals(components, contracted, t.getKey());
    }
    List<String> fixed = new java.util.ArrayList<>();
    contract.get("tables").get("ranking").get("columns").fieldNames().forEachRemaining(fixed::add);
    assertEquals(org.rdnas.scoring.RankingTableSchema.columnNames(List.of()), fixed, "ranking");
  }

  @Test
  void realGroundTruthCsvHasTheContractColumns() throws IOException {
    Path csv = SharedData.require("nasbench201/nb201_cifar10.csv");
    String header;
    try (Stream<String> lines = Files.lines(csv)) {
      header = lines.findFirst().orElse("");
    }
    List<String> columns = List.of(header.split(","));
    contract.get("ground_truth").get("columns").fieldNames().forEachRemaining(c ->
        assertTrue(columns.contains(c), csv + " has column " + c + "; it has " + columns));
  }

  private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*#.*$");
  private static final Pattern INLINE_COMMENT = Pattern.compile("(?m)\\s{2,}#\\s.*$");
  private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"([^\"\\\\\\n]*)\"");
  private static final Pattern SINGLE_QUOTED = Pattern.compile("'([^'\\\\\\n]*)'");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** Every lower-case identifier-like string literal in the notebook's code cells. */
  static Set<String> namesUsed(JsonNode nb) {
    StringBuilder code = new StringBuilder();
    for (JsonNode cell : nb.get("cells")) {
      if (cell.path("cell_type").asText().equals("code")) {
        code.append(text(cell.get("source"))).append('\n');
      }
    }
    String c = INLINE_COMMENT.matcher(COMMENT_LINE.matcher(code).replaceAll("")).replaceAll("");
    Set<String> names = new TreeSet<>();
    for (Pattern p : List.of(DOUBLE_QUOTED, SINGLE_QUOTED)) {
      Matcher m = p.matcher(c);
      while (m.find()) {
        if (NAME.matcher(m.group(1)).matches()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  @Test
  void nameScannerFindsQuotedNamesAndIgnoresCommentsAndProse() throws IOException {
    JsonNode nb = JSON.readTree("{\"cells\": [{\"cell_type\": \"code\", \"source\": ["
        + "\"x = m[\\\"ce_c\\\"] + s['mode']  # the 'comment_name'\\n\", "
        + "\"# 'whole_line_comment'\\n\", \"print(f\\\"{s['training']} Done\\\")\"]},"
        + "{\"cell_type\": \"markdown\", \"source\": \"'markdown_name'\"}]}");
    assertEquals(new TreeSet<>(List.of("ce_c", "mode", "training")), namesUsed(nb));
  }

  @Test
  void notebooksUseExactlyTheNamesTheirContractEntryDeclares() throws IOException {
    Set<String> allColumns = new TreeSet<>();
    contract.get("tables").forEach(t -> t.get("columns").fieldNames()
        .forEachRemaining(allColumns::add));
    for (String name : NOTEBOOK_FILES) {
      JsonNode entry = contract.get("notebooks").get(name);
      Set<String> declared = new TreeSet<>();
      Set<String> tables = new TreeSet<>();
      entry.fields().forEachRemaining(e -> {
        if (e.getKey().equals("other_names")) {
          return;
        }
        if (contract.get("tables").has(e.getKey())) {
          tables.add(e.getKey());
        }
        e.getValue().forEach(v -> {
          for (String part : v.asText().split("\\.")) {
            declared.add(part.replace("[]", ""));
          }
          if (contract.get("tables").has(e.getKey())) {
            assertTrue(contract.get("tables").get(e.getKey()).get("columns").has(v.asText()),
                name + " reads " + e.getKey() + "." + v.asText() + ", which the table lacks");
          } else if (e.getKey().equals("summary.json")) {
            assertTrue(contract.get("summary.json").has(v.asText()),
                name + " reads summary.json " + v.asText() + ", not in contract's summary.json");
          } else {
            assertTrue(contract.get(e.getKey()).get("columns").has(v.asText()),
                name + " reads " + e.getKey() + "." + v.asText());
          }
        });
      });
      Set<String> other = new TreeSet<>();
      entry.path("other_names").forEach(v -> other.add(v.asText()));
      for (String o : other) {
        assertFalse(allColumns.contains(o), name + ": other name " + o
            + " is an output column; declare it under its table instead");
      }
      Set<String> used = namesUsed(notebook(name));
      Set<String> allowed = new TreeSet<>(declared);
      allowed.addAll(tables);
      allowed.addAll(other);
      Set<String> undeclared = new TreeSet<>(used);
      undeclared.removeAll(allowed);
      assertTrue(undeclared.isEmpty(), name + " uses names contract.json does not declare for it: "
          + undeclared);
      Set<String> unused = new TreeSet<>(declared);
      unused.addAll(tables);
      unused.addAll(other);
      unused.removeAll(used);
      assertTrue(unused.isEmpty(), name + ": contract.json declares names it does not use: "
          + unused);
    }
  }

  /** A Python that has every module in {@link #MODULES}, or why there is none. */
  private static String python(List<String> why) {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("RDNAS_PYTHON");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    candidates.addAll(List.of("/usr/bin/python3", "python3"));
    String probe = "import importlib.util, sys\n"
        + "missing = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]\n"
        + "print(' '.join(missing))\n";
    for (String p : candidates) {
      List<String> cmd = new ArrayList<>(List.of(p, "-c", probe));
      cmd.addAll(MODULES);
      try {
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .trim();
        if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
          why.add(p + ": probe failed: " + out);
        } else if (out.isEmpty()) {
          return p;
        } else {
          why.add(p + " lacks " + out);
        }
      } catch (IOException e) {
        why.add(p + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        why.add(p + ": interrupted");
      }
    }
    return null;
  }

  @Test
  void notebooksExecuteEndToEndOnTheOutputs() throws IOException, InterruptedException {
    List<String> why = new ArrayList<>();
    String python = python(why);
    assumeTrue(python != null, () -> "skipped: no Python to execute the notebooks with ("
        + String.join("; ", why) + "). Debian has no python3-pyarrow; set RDNAS_PYTHON to a "
        + "Python with " + String.join(", ", MODULES));
    Path executed = root.resolve("executed");
    List<String> cmd = new ArrayList<>(List.of(python,
        NOTEBOOKS.resolve("execute.py").toAbsolutePath().toString(), executed.toString()));
    NOTEBOOK_FILES.forEach(n -> cmd.add(NOTEBOOKS.resolve(n).toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("RDNAS_RUN", runs.get("rdnas").toString());
    pb.environment().put("RDNAS_GROUND_TRUTH", truth.toString());
    pb.environment().put("RDNAS_RUNS", runs.get("spos") + java.io.File.pathSeparator
        + runs.get("rdnas"));
    Process proc = pb.start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(10, TimeUnit.MINUTES), "notebooks finish");
    assertEquals(0, proc.exitValue(), "executing the notebooks:\n" + out);
    for (String name : NOTEBOOK_FILES) {
      JsonNode nb = JSON.readTree(executed.resolve(name).toFile());
      int figures = 0;
      for (JsonNode cell : nb.get("cells")) {
        for (JsonNode o : cell.path("outputs")) {
          assertFalse(o.path("output_type").asText().equals("error"), name + ": " + o);
          figures += o.path("data").has("image/png") ? 1 : 0;
        }
      }
      assertTrue(figures >= 2, name + " draws its figures (" + figures + " found)");
    }
  }
}
