package org.rdnas.spark.train;

import java.io.Serial;

/**
 * An input of job 2 the user must fix before it can run: a missing or malformed ranking table, a
 * bad data path, an output path that holds another run. The message names the input and says what
 * to do; the job reports it without a stack trace and exits non-zero, having written nothing.
 */
public final class TrainInputException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public TrainInputException(String message) {
    super(message);
  }

  public TrainInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
