package org.rdnas.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with one PyTorch intra-op thread, restoring the previous count after it. The
 * training tests run many tiny ops (C = 4): on a shared 2-core machine a second OpenMP thread only
 * waits for a free core, which made step times swing from 20 ms to seconds.
 */
final class OneThread implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OneThread.class);

  @Override
  public void beforeAll(ExtensionContext c) {
    Engine.getEngine("PyTorch");
    c.getStore(NS).put("threads", JniUtils.getNumThreads());
    JniUtils.setNumThreads(1);
  }

  @Override
  public void afterAll(ExtensionContext c) {
    Integer before = c.getStore(NS).remove("threads", Integer.class);
    if (before != null) {
      JniUtils.setNumThreads(before);
    }
  }
}
