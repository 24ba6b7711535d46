package org.rdnas.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration, carried to tasks so that executors open the output and data
 * paths with the same file systems and credentials (spark.hadoop.* included) as the driver did.
 */
public final class HadoopConfBytes implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient Configuration conf;

  public HadoopConfBytes(Configuration conf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      conf.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the Hadoop configuration", e);
    }
    this.bytes = out.toByteArray();
    this.conf = conf;
  }

  /** The configuration (rebuilt once per deserialised copy). */
  public synchronized Configuration get() {
    if (conf == null) {
      Configuration c = new Configuration(false);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        c.readFields(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Hadoop configuration", e);
      }
      conf = c;
    }
    return conf;
  }
}
