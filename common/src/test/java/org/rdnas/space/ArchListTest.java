package org.rdnas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchListTest {
  @Test
  void readsDistinctArchsAndReportsEveryBadLineWithItsNumber() throws IOException {
    String good = "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|";
    String noNone = "|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_1x1~2|";
    String text = "# header\n" + noNone + "\n\n" + "garbage\n" + noNone + "\n" + good + "\n";
    ArchList list = ArchList.read(new BufferedReader(new StringReader(text)), Nb201Space.withoutNone());
    assertEquals(List.of(Arch.parse(noNone)), list.archs());
    assertEquals(1, list.duplicates());
    assertEquals(2, list.problems().size());
    assertTrue(list.problems().get(0).startsWith("line 4: malformed arch string 'garbage'"),
        list.problems().get(0));
    assertTrue(list.problems().get(1).startsWith("line 6: arch " + good + " is not in search space"),
        list.problems().get(1));
  }
}
