package org.rdnas.scoring;

/**
 * What one scoring task reports to the driver: the part file it committed, how many archs it
 * scored and how many failed, and where and with what it ran (for the table's metadata). A plain
 * final class rather than a record because task results travel by Kryo, which cannot build records;
 * it is registered in {@link RdnasKryoRegistrator}.
 */
public final class PartSummary {
  private final String file;
  private final long archs;
  private final long failed;
  private final String device;
  private final String pytorchVersion;
  private final String djlVersion;
  private final String dataset;

  public PartSummary(String file, long archs, long failed, String device, String pytorchVersion,
      String djlVersion, String dataset) {
    this.file = file;
    this.archs = archs;
    this.failed = failed;
    this.device = device;
    this.pytorchVersion = pytorchVersion;
    this.djlVersion = djlVersion;
    this.dataset = dataset;
  }

  public String file() {
    return file;
  }

  public long archs() {
    return archs;
  }

  public long failed() {
    return failed;
  }

  public String device() {
    return device;
  }

  public String pytorchVersion() {
    return pytorchVersion;
  }

  public String djlVersion() {
    return djlVersion;
  }

  public String dataset() {
    return dataset;
  }
}
