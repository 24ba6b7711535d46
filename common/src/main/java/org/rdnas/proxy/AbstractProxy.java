package org.rdnas.proxy;

/** A proxy's fixed traits, declared once in its constructor. */
public abstract class AbstractProxy implements ZeroCostProxy {
  private final String name;
  private final boolean needsData;
  private final boolean needsBackward;

  protected AbstractProxy(String name, boolean needsData, boolean needsBackward) {
    this.name = name;
    this.needsData = needsData;
    this.needsBackward = needsBackward;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean needsData() {
    return needsData;
  }

  @Override
  public final boolean needsBackward() {
    return needsBackward;
  }

  @Override
  public String toString() {
    return name;
  }
}
