package org.rdnas.train;

import java.io.IOException;

/** A checkpoint that cannot be read back: not a checkpoint, another version, truncated or corrupt. */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
