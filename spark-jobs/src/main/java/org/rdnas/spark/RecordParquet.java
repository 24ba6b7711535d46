package org.rdnas.spark;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
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
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet files of Java records, written on the driver with key-values in the footer (Spark's own
 * writer cannot add them): one column per record component, named in snake case ({@code ceA} is
 * {@code ce_a}), typed from the component (a primitive is required, a boxed value or a string may
 * be null), in declaration order. The records are the single declaration of a table's columns.
 */
public final class RecordParquet {
  private static final Map<Class<?>, PrimitiveTypeName> TYPES = Map.of(
      long.class, PrimitiveTypeName.INT64, Long.class, PrimitiveTypeName.INT64,
      int.class, PrimitiveTypeName.INT32, Integer.class, PrimitiveTypeName.INT32,
      double.class, PrimitiveTypeName.DOUBLE, Double.class, PrimitiveTypeName.DOUBLE,
      boolean.class, PrimitiveTypeName.BOOLEAN, Boolean.class, PrimitiveTypeName.BOOLEAN,
      String.class, PrimitiveTypeName.BINARY);

  private RecordParquet() {}

  /** The Parquet schema of record type {@code type}, named {@code name}. */
  public static MessageType schema(Class<? extends Record> type, String name) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (RecordComponent c : type.getRecordComponents()) {
      PrimitiveTypeName t = TYPES.get(c.getType());
      if (t == null) {
        throw new IllegalArgumentException(type.getSimpleName() + "." + c.getName()
            + ": no column type for " + c.getType());
      }
      Types.PrimitiveBuilder<?> f = c.getType().isPrimitive() ? Types.required(t)
          : Types.optional(t);
      if (c.getType() == String.class) {
        f = f.as(LogicalTypeAnnotation.stringType());
      }
      b.addField((Type) f.named(snakeCase(c.getName())));
    }
    return b.named(name);
  }

  /**
   * Writes {@code rows} of record type {@code type} to the one file {@code file} (replacing it),
   * with {@code metadata} in its footer.
   */
  public static <R extends Record> void write(Configuration conf, Path file, List<R> rows,
      Class<R> type, Map<String, String> metadata) throws IOException {
    MessageType schema = schema(type, type.getSimpleName());
    try (ParquetWriter<R> w = new Builder<R>(HadoopOutputFile.fromPath(file, conf), schema,
        metadata, type.getRecordComponents())
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build()) {
      for (R r : rows) {
        w.write(r);
      }
    }
  }

  /** {@code ceA} as {@code ce_a}. */
  public static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static final class Builder<R> extends ParquetWriter.Builder<R, Builder<R>> {
    private final MessageType schema;
    private final Map<String, String> metadata;
    private final RecordComponent[] components;

    Builder(HadoopOutputFile file, MessageType schema, Map<String, String> metadata,
        RecordComponent[] components) {
      super(file);
      this.schema = schema;
      this.metadata = Map.copyOf(metadata);
      this.components = components;
    }

    @Override
    protected Builder<R> self() {
      return this;
    }

    // Parquet 1.17 deprecates the Hadoop-Configuration variants but still declares them abstract.
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<R> getWriteSupport(Configuration conf) {
      return new RecordWriteSupport<>(schema, metadata, components);
    }
  }

  private static final class RecordWriteSupport<R> extends WriteSupport<R> {
    private final MessageType schema;
    private final Map<String, String> metadata;
    private final RecordComponent[] components;
    private RecordConsumer out;

    RecordWriteSupport(MessageType schema, Map<String, String> metadata,
        RecordComponent[] components) {
      this.schema = schema;
      this.metadata = metadata;
      this.components = components;
    }

    @Override
    @SuppressWarnings("deprecation")
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, metadata);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(R record) {
      out.startMessage();
      for (int i = 0; i < components.length; i++) {
        Object v = value(components[i], record);
        if (v == null) {
          continue;
        }
        String field = schema.getFieldName(i);
        out.startField(field, i);
        if (v instanceof Long l) {
          out.addLong(l);
        } else if (v instanceof Integer n) {
          out.addInteger(n);
        } else if (v instanceof Double d) {
          out.addDouble(d);
        } else if (v instanceof Boolean b) {
          out.addBoolean(b);
        } else {
          out.addBinary(Binary.fromString((String) v));
        }
        out.endField(field, i);
      }
      out.endMessage();
    }

    private static Object value(RecordComponent c, Object record) {
      try {
        return c.getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + c, e);
      }
    }
  }
}
