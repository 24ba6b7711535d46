package org.rdnas.spark;
import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.rdnas.scoring.PartSummary;

/**
 * Registers every application class that Spark serialises with Kryo (task results, parallelised
 * data), since the jobs run with {@code spark.kryo.registrationRequired=true}: an unregistered class
 * fails loudly instead of silently writing its full name into every record. Only plain classes and
 * arrays are shipped; Kryo 4 cannot build Java records.
 */
public final class RdnasKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(PartSummary.class);
    kryo.register(long[].class);
    kryo.register(long[][].class);
    kryo.register(byte[].class);
    kryo.register(float[].class);
    kryo.register(double[].class);
    kryo.register(org.rdnas.train.GradientSum.class);
    kryo.register(org.rdnas.train.RoundResult.class);
    kryo.register(org.rdnas.spark.training.WorkerResult.class);
    // Broadcast once per training run; its Configuration is transient and rebuilt from the bytes.
    kryo.register(HadoopConfBytes.class);
  }
}
