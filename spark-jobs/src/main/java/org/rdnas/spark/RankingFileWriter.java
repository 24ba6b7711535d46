package org.rdnas.spark;

import java.io.IOException;
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
import org.apache.parquet.schema.MessageType;

/**
 * Writes one ranking-table Parquet file, with the rdnas metadata in its footer (Spark's own writer
 * cannot add footer key-values). Rows go to a hidden in-progress file; {@link #commit()} closes it
 * and renames it to its final name, so a reader never sees a file that a dying task left half
 * written. Closing without commit deletes the in-progress file.
 */
final class RankingFileWriter implements AutoCloseable {
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
   * Opens {@code dir/name} for writing the rows of {@code proxies}, with {@code metadata} in the
   * footer. {@code attempt} tells concurrent writers of one name apart (a speculative task copy).
   */
  static RankingFileWriter open(Configuration conf, Path dir, String name, String attempt,
      List<String> proxies, Map<String, String> metadata) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path target = new Path(dir, name);
    Path inProgress = new Path(dir, "." + name + "." + attempt + ".inprogress");
    ParquetWriter<RankingRow> w = new Builder(HadoopOutputFile.fromPath(inProgress, conf),
        RankingSchema.parquet(proxies), metadata)
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build();
    return new RankingFileWriter(fs, inProgress, target, w);
  }

  void write(RankingRow row) throws IOException {
    writer.write(row);
    rows++;
  }

  long rows() {
    return rows;
  }

  /** Finishes the file and gives it its final name; returns that path. */
  Path commit() throws IOException {
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

  /** Turns a {@link RankingRow} into Parquet records of {@link RankingSchema#parquet}. */
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
      longField(field++, RankingSchema.ARCH_ID, r.archId());
      stringField(field++, RankingSchema.ARCH, r.arch().toString());
      longField(field++, RankingSchema.CANONICAL_ARCH_ID, r.canonicalArchId());
      for (int i = 0; i < n; i++) {
        String name = schema.getFieldName(field);
        double v = r.value(i);
        if (!Double.isNaN(v)) { // a failed proxy is a null: the field is left out
          out.startField(name, field);
          out.addDouble(v);
          out.endField(name, field);
        }
        field++;
      }
      for (int i = 0; i < n; i++) {
        String name = schema.getFieldName(field);
        out.startField(name, field);
        out.addDouble(r.millis(i));
        out.endField(name, field);
        field++;
      }
      stringField(field++, RankingSchema.STATUS, r.status());
      stringField(field++, RankingSchema.ERROR, r.error());
      longField(field, RankingSchema.SEED, r.seed());
      out.endMessage();
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
}
