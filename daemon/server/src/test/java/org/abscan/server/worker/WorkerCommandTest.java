package org.abscan.server.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.abscan.server.config.WorkerConfig;
import org.junit.jupiter.api.Test;

/** GPU pinning of worker slots: each slot sees one card, round-robin over --worker-gpus. */
class WorkerCommandTest {
  private static WorkerConfig gpus(List<String> gpus) {
    return new WorkerConfig(true, Duration.ofMinutes(1), Duration.ofSeconds(1), 0, 0, "1g", gpus);
  }

  @Test
  void slotsArePinnedRoundRobin() {
    WorkerConfig config = gpus(List.of("0", "1"));
    assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "0"), WorkerCommand.environment(config, 0));
    assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "1"), WorkerCommand.environment(config, 1));
    assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "0"), WorkerCommand.environment(config, 2));
  }

  @Test
  void withoutGpusWorkersInheritTheDaemonsDevices() {
    assertEquals(Map.of(), WorkerCommand.environment(gpus(List.of()), 0));
  }

  @Test
  void uuidsAreAcceptedAndAnythingElseIsRefused() {
    assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "GPU-8f3a2c1e-0b7d-4e55-9c11-2a6b7e0f4d21"),
        WorkerCommand.environment(gpus(List.of("GPU-8f3a2c1e-0b7d-4e55-9c11-2a6b7e0f4d21")), 0));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> gpus(List.of("0 1")));
  }
}
