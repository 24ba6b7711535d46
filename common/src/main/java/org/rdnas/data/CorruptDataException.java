package org.rdnas.data;

import java.io.IOException;

/** A data file whose bytes do not follow its format; names the file and, where known, the byte offset of the fault. */
public final class CorruptDataException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final long byteOffset;

  CorruptDataException(String format, String file, long byteOffset, String problem, Throwable cause) {
    super(format + " " + file + ": " + problem, cause);
    this.file = file;
    this.byteOffset = byteOffset;
  }

  /** The fully qualified path of the offending file, e.g. {@code file:/data/test_batch.bin}. */
  public String file() {
    return file;
  }

  /** A file of {@code format} that as a whole cannot be read (no byte offset known: {@link #byteOffset()} is -1). */
  CorruptDataException(String format, String file, String problem, Throwable cause) {
    this(format, file, -1, problem, cause);
  }

  /** Byte offset in the file where the fault was found; -1 when the reader cannot tell (an undecodable image). */
  public long byteOffset() {
    return byteOffset;
  }
}
