package org.rdnas.spark.scoring;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.rdnas.io.AtomicCommit;
import org.rdnas.scoring.RankingTableSchema;

/**
 * Writes one ranking-table Parquet file, with the rdnas metadata in its footer (Spark's own writer
 * cannot add footer key-values). Rows go to a hidden in-progress file; {@link #commit()} closes it
 * and renames it to its final name, so a reader never sees a file that a dying task left half
 * written. Closing without commit deletes the in-progress file.
 */
public final class RankingFileWriter implements AutoCloseable {
  private final FileSystem fs;
  private final Path inProgress;
  private final Path target;
  private final ParquetWriter<RankingRow> writer;
  private long rows;
  private boolean done;

  private RankingFileWriter(FileSystem fs, Path inProgress, Path target,
      ParquetWriter<RankingRow> writer) {
    this.fs = fs;
    this.inProgress = inProgress;
    this.target = target;
    this.writer = writer;
  }

  /**
   * Opens {@code dir/name} for writing the rows of {@code proxies} (a part file: no aggregates),
   * with {@code metadata} in the footer. {@code attempt} tells concurrent writers of one name apart
   * (a speculative task copy).
   */
  public static RankingFileWriter open(Configuration conf, Path dir, String name, String attempt,
      List<String> proxies, Map<String, String> metadata) throws IOException {
    return open(conf, dir, name, attempt, proxies, List.of(), metadata);
  }

  /** As above, for rows that carry the {@code aggregates} columns too (the merged table). */
  public static RankingFileWriter open(Configuration conf, Path dir, String name, String attempt,
      List<String> proxies, List<String> aggregates, Map<String, String> metadata)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path target = new Path(dir, name);
    Path inProgress = new Path(dir, "." + name + "." + attempt + ".inprogress");
    ParquetWriter<RankingRow> w = new Builder(HadoopOutputFile.fromPath(inProgress, conf),
        parquet(proxies, aggregates), metadata)
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build();
    return new RankingFileWriter(fs, inProgress, target, w);
  }

  public void write(RankingRow row) throws IOException {
    writer.write(row);
    rows++;
  }

  public long rows() {
    return rows;
  }

  /** Finishes the file and gives it its final name; returns that path. */
  public Path commit() throws IOException {
    writer.close();
    done = true;
    // A retried task attempt replaces its predecessor's file.
    AtomicCommit.replace(fs, inProgress, target);
    return target;
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      try {
        writer.close();
      } finally {
        fs.delete(inProgress, false);
      }
    }
  }

  private static final class Builder extends ParquetWriter.Builder<RankingRow, Builder> {
    private final MessageType schema;
    private final Map<String, String> metadata;

    Builder(HadoopOutputFile file, MessageType schema, Map<String, String> metadata) {
      super(file);
      this.schema = schema;
      this.metadata = Map.copyOf(metadata);
    }

    @Override
    protected Builder self() {
      return this;
    }

    // Parquet 1.17 deprecates the Hadoop-Configuration variants but still declares them abstract.
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<RankingRow> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema, metadata);
    }
  }

  /** Turns a {@link RankingRow} into Parquet records of {@link #parquet}. */
  private static final class RowWriteSupport extends WriteSupport<RankingRow> {
    private final MessageType schema;
    private final Map<String, String> metadata;
    private RecordConsumer out;

    RowWriteSupport(MessageType schema, Map<String, String> metadata) {
      this.schema = schema;
      this.metadata = metadata;
    }

    @Override
    @SuppressWarnings("deprecation")
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, metadata);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(RankingRow r) {
      int n = r.proxyCount();
      int field = 0;
      out.startMessage();
      longField(field++, RankingTableSchema.ARCH_ID, r.archId());
      stringField(field++, RankingTableSchema.ARCH, r.arch());
      longField(field++, RankingTableSchema.CANONICAL_ARCH_ID, r.canonicalArchId());
      for (int i = 0; i < n; i++) {
        optionalDouble(field++, r.value(i));
      }
      int aggregates = schema.getFieldCount() - 6 - 2 * n;
      if (r.aggregateCount() != aggregates) {
        throw new IllegalStateException("row of " + r.arch() + " has " + r.aggregateCount()
            + " aggregate values for " + aggregates + " columns");
      }
      for (int i = 0; i < aggregates; i++) {
        optionalDouble(field++, r.aggregate(i));
      }
      for (int i = 0; i < n; i++) {
        String name = schema.getFieldName(field);
        out.startField(name, field);
        out.addDouble(r.millis(i));
        out.endField(name, field);
        field++;
      }
      stringField(field++, RankingTableSchema.STATUS, r.status());
      stringField(field++, RankingTableSchema.ERROR, r.error());
      longField(field, RankingTableSchema.SEED, r.seed());
      out.endMessage();
    }

    /** A double that is null when NaN (a failed proxy, no aggregate): the field is left out. */
    private void optionalDouble(int index, double v) {
      if (!Double.isNaN(v)) {
        String name = schema.getFieldName(index);
        out.startField(name, index);
        out.addDouble(v);
        out.endField(name, index);
      }
    }

    private void longField(int index, String name, long v) {
      out.startField(name, index);
      out.addLong(v);
      out.endField(name, index);
    }

    private void stringField(int index, String name, String v) {
      out.startField(name, index);
      out.addBinary(Binary.fromString(v));
      out.endField(name, index);
    }
  }

  /** The table's Parquet schema for {@code proxies} and {@code aggregates} ({@link RankingTableSchema}). */
  public static MessageType parquet(List<String> proxies, List<String> aggregates) {
    List<org.apache.parquet.schema.Type> fields = new ArrayList<>();
    for (RankingTableSchema.Column c : RankingTableSchema.columns(proxies, aggregates)) {
      Types.PrimitiveBuilder<PrimitiveType> b = c.nullable()
          ? Types.optional(primitive(c.type())) : Types.required(primitive(c.type()));
      fields.add((c.type() == RankingTableSchema.Type.STRING
          ? b.as(LogicalTypeAnnotation.stringType()) : b).named(c.name()));
    }
    return new MessageType(RankingTableSchema.TABLE_NAME, fields);
  }

  private static PrimitiveTypeName primitive(RankingTableSchema.Type t) {
    return switch (t) {
      case INT64 -> PrimitiveTypeName.INT64;
      case DOUBLE -> PrimitiveTypeName.DOUBLE;
      case STRING -> PrimitiveTypeName.BINARY;
    };
  }
}
