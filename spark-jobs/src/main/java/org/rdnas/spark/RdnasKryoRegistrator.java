package org.rdnas.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

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
  }
}
