package org.rdnas.io;

import java.io.Serial;

/**
 * An input the user must fix before a job can run: a malformed candidates file, a missing data path,
 * an output path that holds another run. The message names the input and says what to do; the job
 * reports it without a stack trace and exits 2, having written nothing.
 *
 * <p>The one type of input error: thrown where an input is judged (config records are checked by
 * {@link org.rdnas.config.ConfigurationException}'s checks, files by their readers, the ranking
 * table by the teacher and the sampler, checkpoints by the training state), so no caller needs to
 * guess from an {@code IllegalArgumentException} whether a bug or an input is at fault. It is one
 * for library callers that validate arguments; jobs recognise input errors by this type alone.
 */
public final class InputException extends IllegalArgumentException {
  @Serial private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** This error with {@code input} (what was being read, e.g. "ranking table PATH") in front. */
  public InputException within(String input) {
    return new InputException(input + ": " + getMessage(), this);
  }
}
