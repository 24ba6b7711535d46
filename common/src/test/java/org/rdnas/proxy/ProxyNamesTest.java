package org.rdnas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdnas.config.ProxyNames;

/** The configuration checks proxy names against a plain list; it must follow the registry. */
class ProxyNamesTest {
  @Test
  void theConfigurationAcceptsExactlyTheRegisteredProxies() {
    List<String> registered = Proxies.names();
    List<String> missing = registered.stream().filter(n -> !ProxyNames.ALL.contains(n)).toList();
    List<String> unknown = ProxyNames.ALL.stream().filter(n -> !registered.contains(n)).toList();
    assertEquals(registered, ProxyNames.ALL, () -> "ProxyNames.ALL in "
        + "common/src/main/java/org/rdnas/config/ProxyNames.java must list the name of every proxy "
        + "in common/src/main/resources/META-INF/services/org.rdnas.proxy.ZeroCostProxy, in that "
        + "file's order, so that rdnas.proxies and rdnas.distill.teacher accept it"
        + (missing.isEmpty() ? "" : "; add " + missing)
        + (unknown.isEmpty() ? "" : "; remove " + unknown)
        + (missing.isEmpty() && unknown.isEmpty() ? "; reorder it" : ""));
  }
}
