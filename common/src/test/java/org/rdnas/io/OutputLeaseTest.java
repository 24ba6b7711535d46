package org.rdnas.io;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output lease on a local folder: one holder, refusal naming it, stale takeover, loss. */
class OutputLeaseTest {
  private static final Configuration CONF = new Configuration();
  private static final Duration STALE = Duration.ofSeconds(4);

  @TempDir Path tmp;

  private static org.apache.hadoop.fs.Path root(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  @Test
  void aSecondRunIsRefusedNamingTheHolderUntilTheFirstReleases() throws Exception {
    Path out = tmp.resolve("out");
    try (OutputLease first = OutputLease.acquire(root(out), CONF, "proxy-scoring", "run-1", STALE)) {
      String text = Files.readString(out.resolve(OutputLease.FILE));
      assertTrue(text.contains("\"run_id\":\"run-1\"") && text.contains("\"pid\":"), text);
      InputException e = assertThrows(InputException.class,
          () -> OutputLease.acquire(root(out), CONF, "distill-train", "run-2", STALE));
      assertTrue(e.getMessage().contains("is in use by another run: proxy-scoring run run-1 on host"),
          e.getMessage());
      first.check();
    }
    assertFalse(Files.exists(out), "the folder the lease created, empty, is removed");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "x");
    try (OutputLease second = OutputLease.acquire(root(out), CONF, "distill-train", "run-2", STALE)) {
      second.check();
    }
    assertTrue(Files.exists(out.resolve("keep.txt")));
    assertFalse(Files.exists(out.resolve(OutputLease.FILE)));
  }

  @Test
  void theHeartbeatKeepsALeaseFreshAndAStaleOneIsTakenOver() throws Exception {
    Path out = tmp.resolve("beat");
    try (OutputLease held = OutputLease.acquire(root(out), CONF, "distill-train", "alive", STALE)) {
      Path file = out.resolve(OutputLease.FILE);
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 3_000));
      Thread.sleep(2_500);
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
      assertTrue(age < 2_000, "heartbeat refreshed the lease, age " + age + " ms");
      assertThrows(InputException.class,
          () -> OutputLease.acquire(root(out), CONF, "distill-train", "other", STALE));
    }
    // A killed driver: its lease stays with an old heartbeat.
    Files.createDirectories(out);
    Path file = out.resolve(OutputLease.FILE);
    Files.writeString(file, "{\"run_id\":\"dead\",\"job\":\"distill-train\"}");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    try (OutputLease taken = OutputLease.acquire(root(out), CONF, "distill-train", "new", STALE)) {
      assertTrue(Files.readString(file).contains("\"run_id\":\"new\""));
    }
  }

  @Test
  void aLostLeaseStopsTheHolderBeforeItCommits() throws Exception {
    Path out = tmp.resolve("lost");
    try (OutputLease held = OutputLease.acquire(root(out), CONF, "proxy-scoring", "mine",
        Duration.ofSeconds(1))) {
      Path file = out.resolve(OutputLease.FILE);
      Files.writeString(file, "{\"run_id\":\"intruder\",\"job\":\"proxy-scoring\"}");
      long deadline = System.currentTimeMillis() + 5_000;
      IllegalStateException e = null;
      while (e == null && System.currentTimeMillis() < deadline) {
        try {
          held.check();
          Thread.sleep(50);
        } catch (IllegalStateException x) {
          e = x;
        }
      }
      assertTrue(e != null && e.getMessage().contains("now held by proxy-scoring run intruder"),
          String.valueOf(e));
      held.close();
      assertTrue(Files.readString(file).contains("intruder"), "another run's lease is not removed");
    }
  }

  @Test
  void ofManyContendersExactlyOneWins() throws Exception {
    Path out = tmp.resolve("race");
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<OutputLease>> tries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "run-" + i;
      tries.add(pool.submit(() -> {
        go.await();
        try {
          return OutputLease.acquire(root(out), CONF, "proxy-scoring", id, STALE);
        } catch (InputException e) {
          return null;
        }
      }));
    }
    go.countDown();
    List<OutputLease> won = new ArrayList<>();
    for (Future<OutputLease> f : tries) {
      if (f.get() != null) {
        won.add(f.get());
      }
    }
    pool.shutdown();
    assertEquals(1, won.size());
    won.get(0).close();
  }

  @Test
  void aFolderThatCannotBeWrittenFailsAtOnce() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    InputException e = assertThrows(InputException.class,
        () -> OutputLease.acquire(root(file.resolve("sub")), CONF, "proxy-scoring", "r", STALE));
    assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
  }
}
