package org.rdnas.spark;

/**
 * What one scoring task reports to the driver: the part file it committed, how many archs it
 * scored and how many failed, and where and with what it ran (for the table's metadata). A plain
 * final class rather than a record because task results travel by Kryo, which cannot build records;
 * it is registered in {@link RdnasKryoRegistrator}.
 */
final class PartSummary {
  private final String file;
  private final long archs;
  private final long failed;
  private final String device;
  private final String pytorchVersion;
  private final String djlVersion;
  private final String dataset;

  PartSummary(String file, long archs, long failed, String device, String pytorchVersion,
      String djlVersion, String dataset) {
    this.file = file;
    this.archs = archs;
    this.failed = failed;
    this.device = device;
    this.pytorchVersion = pytorchVersion;
    this.djlVersion = djlVersion;
    this.dataset = dataset;
  }

  String file() {
    return file;
  }

  long archs() {
    return archs;
  }

  long failed() {
    return failed;
  }

  String device() {
    return device;
  }

  String pytorchVersion() {
    return pytorchVersion;
  }

  String djlVersion() {
    return djlVersion;
  }

  String dataset() {
    return dataset;
  }
}
