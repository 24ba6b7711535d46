package org.rdnas.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a root {@link NDManager} and fails the test if any NDArray allocated under it is
 * still open when the test ends, as Arrow's root allocator does: every test is also a leak test.
 */
public final class NdLeakCheck implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NdLeakCheck.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == NDManager.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return c.getStore(NS).getOrComputeIfAbsent("manager", k -> NDManager.newBaseManager(),
        NDManager.class);
  }

  @Override
  public void afterEach(ExtensionContext c) {
    NDManager m = c.getStore(NS).remove("manager", NDManager.class);
    if (m == null) {
      return;
    }
    List<NDArray> open = m.getManagedArrays();
    // Described before the close, after which an array's shape can no longer be read.
    String example = open.isEmpty() ? "" : open.get(0).getShape() + " " + open.get(0).getName();
    m.close();
    if (!open.isEmpty() && c.getExecutionException().isEmpty()) {
      throw new AssertionError(open.size() + " NDArray(s) outlived their scope, e.g. " + example);
    }
  }
}
