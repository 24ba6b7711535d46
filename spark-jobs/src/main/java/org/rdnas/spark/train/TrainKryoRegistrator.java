package org.rdnas.spark.train;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.rdnas.train.GradientSum;

/**
 * Registers what job 2 ships through Spark's serializer (weights and Hadoop configuration broadcasts, task results), since it
 * runs with {@code spark.kryo.registrationRequired=true}. Only plain classes and arrays travel this
 * way; step plans and settings are records and ride in task closures, which Spark serialises with
 * Java serialization (Kryo 4 cannot build records).
 */
public final class TrainKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(byte[].class);
    kryo.register(float[].class);
    kryo.register(double[].class);
    kryo.register(GradientSum.class);
    kryo.register(WorkerResult.class);
    // Broadcast once per run; its Configuration is transient and rebuilt from the bytes.
    kryo.register(HadoopConf.class);
  }
}
