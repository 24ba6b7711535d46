package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rdnas.config.DistillConfig.Schedule;

class SchedulesTest {
  @Test
  void sinScheduleIsTheAuthors() {
    LambdaSchedule s = new LambdaSchedule(Schedule.SIN, 2, 250);
    assertEquals(0, s.at(0), 0);
    assertEquals(2 * Math.sin(0.8 * Math.PI * 100 / 250), s.at(100), 1e-12);
    // peak 2 at e = 0.625 E, then down to 2 sin(0.8 pi) ~ 1.176 at the end
    assertEquals(2.0, new LambdaSchedule(Schedule.SIN, 2, 8).at(5), 1e-12);
    assertEquals(2 * Math.sin(0.8 * Math.PI * 249 / 250), s.at(249), 1e-12);
    assertEquals(1.0, new LambdaSchedule(Schedule.SIN, 1, 8).at(5), 1e-12);
  }

  @Test
  void constantAndLinearSchedules() {
    assertEquals(2, new LambdaSchedule(Schedule.CONSTANT, 2, 10).at(0));
    assertEquals(0.5, new LambdaSchedule(Schedule.CONSTANT, 0.5, 10).at(9));
    LambdaSchedule lin = new LambdaSchedule(Schedule.LINEAR, 2, 250);
    assertEquals(0, lin.at(0));
    assertEquals(0.5, lin.at(5), 1e-12);
    assertEquals(2, lin.at(20));
    assertEquals(2, lin.at(200));
    assertEquals(1, new LambdaSchedule(Schedule.LINEAR, 1, 250).at(15), "capped at lambda-max");
    assertThrows(IllegalArgumentException.class, () -> lin.at(-1));
    assertThrows(IllegalArgumentException.class, () -> new LambdaSchedule(Schedule.SIN, -1, 5));
  }

  @Test
  void cosineLrIsTorchsCosineAnnealingPerEpoch() {
    CosineLr lr = new CosineLr(0.025, 0.001, 250);
    assertEquals(0.025, lr.at(0), 1e-15);
    assertEquals(0.013, lr.at(125), 1e-12);
    assertEquals(0.001 + 0.024 * (1 + Math.cos(Math.PI * 249 / 250)) / 2, lr.at(249), 1e-15);
    assertEquals(0.001, lr.at(250), 1e-15);
    // torch's recursive form, stepped once per epoch, from its docs
    double eta = 0.025;
    for (int e = 1; e <= 10; e++) {
      double tmax = 10;
      eta = 0.001 + (eta - 0.001) * (1 + Math.cos(Math.PI * e / tmax))
          / (1 + Math.cos(Math.PI * (e - 1) / tmax));
      assertEquals(eta, new CosineLr(0.025, 0.001, 10).at(e), 1e-12);
    }
    assertThrows(IllegalArgumentException.class, () -> new CosineLr(0.01, 0.1, 5));
  }
}
