package org.rdnas.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyAgreementTest {
  @Test
  void pairsAreOverTheArchsBothScored() {
    Map<String, double[]> c = ProxyAgreement.columns();
    c.put("a", new double[] {1, 2, 3, 4, 5});
    c.put("b", new double[] {10, 20, 30, 40, Double.NaN});
    c.put("c", new double[] {5, 4, 3, 2, 1});
    ProxyAgreement p = ProxyAgreement.of(c);
    assertEquals(1.0, p.spearman("a", "b"), 1e-12);
    assertEquals(-1.0, p.spearman("a", "c"), 1e-12);
    assertEquals(-1.0, p.kendall()[1][2], 1e-12);
    assertEquals(4, p.pairs()[0][1]);
    assertEquals(5, p.pairs()[0][2]);
    assertTrue(p.render().contains("at least 4"), p.render());
  }
}
