package org.rdnas.io;

import java.io.Serial;

/**
 * An input the user must fix before a job can run: a malformed candidates file, a missing data path,
 * an output path that holds another run. The message names the input and says what to do; the job
 * reports it without a stack trace and exits non-zero, having written nothing.
 */
public final class InputException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
