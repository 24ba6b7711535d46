package org.rdnas.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The ranking table's columns, in order: {@code arch_id}, {@code arch}, {@code canonical_arch_id},
 * one double per proxy named as the proxy (null when it failed; higher is better for every built-in
 * proxy), {@code <proxy>_ms} per proxy, {@code status} ({@code ok} or {@code failed}), {@code error}
 * (which proxies failed and why, empty when ok) and the {@code seed} that recomputes the row. Also
 * the names of the rdnas keys in each Parquet file's footer.
 */
final class RankingSchema {
  static final String ARCH_ID = "arch_id";
  static final String ARCH = "arch";
  static final String CANONICAL_ARCH_ID = "canonical_arch_id";
  static final String STATUS = "status";
  static final String ERROR = "error";
  static final String SEED = "seed";
  static final String OK = "ok";
  static final String FAILED = "failed";
  static final String MS_SUFFIX = "_ms";

  /** Footer key: "ranking" in every file this job writes; its absence means "not ours". */
  static final String META_TABLE = "rdnas.table";
  /** Footer key: the scoring identity (JSON object), see {@link ScoringSettings#identity()}. */
  static final String META_IDENTITY = "rdnas.scoring.identity";
  static final String META_CONFIG = "rdnas.config";
  static final String META_VERSION = "rdnas.version";
  static final String META_DJL = "rdnas.djl.version";
  static final String META_PYTORCH = "rdnas.pytorch.version";
  static final String META_DEVICE = "rdnas.device";
  static final String META_DATASET = "rdnas.dataset";
  static final String META_BATCH_SIZE = "rdnas.proxy.batch-size";
  static final String META_PROXIES = "rdnas.proxies";
  static final String META_ROWS = "rdnas.rows";
  static final String META_CREATED = "rdnas.created";
  static final String TABLE_NAME = "ranking";

  private RankingSchema() {}

  /** The table's Parquet schema for {@code proxies} (in column order). */
  static MessageType parquet(List<String> proxies) {
    List<Type> fields = new ArrayList<>();
    fields.add(Types.required(PrimitiveTypeName.INT64).named(ARCH_ID));
    fields.add(Types.required(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType()).named(ARCH));
    fields.add(Types.required(PrimitiveTypeName.INT64).named(CANONICAL_ARCH_ID));
    for (String p : proxies) {
      fields.add(Types.optional(PrimitiveTypeName.DOUBLE).named(p));
    }
    for (String p : proxies) {
      fields.add(Types.required(PrimitiveTypeName.DOUBLE).named(p + MS_SUFFIX));
    }
    fields.add(Types.required(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType()).named(STATUS));
    fields.add(Types.required(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType()).named(ERROR));
    fields.add(Types.required(PrimitiveTypeName.INT64).named(SEED));
    return new MessageType(TABLE_NAME, fields);
  }

  /** Every column name, in order. */
  static List<String> columns(List<String> proxies) {
    return parquet(proxies).getFields().stream().map(Type::getName).toList();
  }
}
