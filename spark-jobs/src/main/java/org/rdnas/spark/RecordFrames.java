package org.rdnas.spark;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * DataFrames of Java records: one column per record component, named in snake case
 * ({@code ceA} is {@code ce_a}), typed from the component (a primitive is required, a boxed value or
 * a string may be null), in declaration order. The records are the single declaration of a table's
 * columns.
 */
public final class RecordFrames {
  private static final Map<Class<?>, DataType> TYPES = Map.of(
      long.class, DataTypes.LongType, Long.class, DataTypes.LongType,
      int.class, DataTypes.IntegerType, Integer.class, DataTypes.IntegerType,
      double.class, DataTypes.DoubleType, Double.class, DataTypes.DoubleType,
      boolean.class, DataTypes.BooleanType, Boolean.class, DataTypes.BooleanType,
      String.class, DataTypes.StringType);

  private RecordFrames() {}

  /** {@code rows} of record type {@code type} as a DataFrame. */
  public static <R extends Record> Dataset<Row> of(SparkSession spark, List<R> rows,
      Class<R> type) {
    RecordComponent[] components = type.getRecordComponents();
    List<StructField> fields = new ArrayList<>();
    for (RecordComponent c : components) {
      DataType t = TYPES.get(c.getType());
      if (t == null) {
        throw new IllegalArgumentException(type.getSimpleName() + "." + c.getName()
            + ": no column type for " + c.getType());
      }
      fields.add(DataTypes.createStructField(snakeCase(c.getName()), t,
          !c.getType().isPrimitive()));
    }
    List<Row> out = new ArrayList<>(rows.size());
    for (R r : rows) {
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        try {
          values[i] = components[i].getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + components[i], e);
        }
      }
      out.add(RowFactory.create(values));
    }
    return spark.createDataFrame(out, DataTypes.createStructType(fields));
  }

  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
