package org.abscan.server.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident memory of a process, from Linux's /proc/PID/status (VmRSS); empty where that is unavailable. */
public final class RssProbe {
  private RssProbe() {}

  public static OptionalLong rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.substring(6).trim().split("\\s+")[0]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone, not Linux, or an unexpected format: the caller skips the check.
    }
    return OptionalLong.empty();
  }

  /** Open file descriptors of a process (entries of /proc/PID/fd), -1 where unavailable. */
  public static int openFds(long pid) {
    try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) entries.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
