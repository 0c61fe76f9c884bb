package org.abscan.spi.testkit.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.statistics.Statistics;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelLoader;

/**
 * The property every parser of untrusted files must hold, whatever the bytes: it succeeds, or it throws an
 * {@link AbscanException} whose category says the input is at fault (never INTERNAL) with a message and at least
 * one violation naming the file, field, node or layer at fault — within a per-try time limit. Anything else
 * fails: a raw RuntimeException, an Error (OutOfMemoryError, StackOverflowError),
 * or an AbscanException that merely wraps such an Error (a catch-all backstop hides the bug, it does not fix it).
 * Each outcome is counted with jqwik's statistics, so the test report shows how many inputs loaded and how many
 * were refused for which reason.
 */
public final class FuzzContract {
  /** Categories that blame the input. INTERNAL means the parser itself broke. */
  public static final Set<ErrorCategory> INPUT_CATEGORIES = EnumSet.of(ErrorCategory.MALFORMED_MODEL,
      ErrorCategory.UNSUPPORTED_MODEL, ErrorCategory.LIMIT_EXCEEDED, ErrorCategory.MODEL_REFUSED,
      ErrorCategory.INVALID_ARGUMENT);

  /** The code under test; may throw anything, which is the point. */
  @FunctionalInterface
  public interface Attempt {
    void run() throws Exception;
  }

  private FuzzContract() {}

  /**
   * Runs {@code attempt} on another thread, failing the property if it breaks the contract or outlasts
   * {@code perTry}.
   *
   * @param input what was fed in, for the failure message (jqwik also prints the generated sample)
   * @return "ok" or the category of the clean refusal
   */
  public static String assertSucceedsOrRefuses(String input, Duration perTry, Attempt attempt) {
    Outcome outcome = assertTimeoutPreemptively(perTry, () -> classify(input, attempt),
        () -> input + ": no answer within " + perTry.toMillis() + " ms");
    // Collected here: jqwik's statistics belong to the property's thread, not the timeout's.
    Statistics.label("outcome").collect(outcome.result());
    if (outcome.cause() != null) {
      // What a refusal wraps: for reading the report (library exceptions wrapped vs the loader's own checks).
      Statistics.label("refusal cause").collect(outcome.cause());
    }
    return outcome.result();
  }

  /**
   * The loader case of {@link #assertSucceedsOrRefuses}: writes {@code bytes} to a temporary file named
   * {@code *suffix} in {@code scratch}, runs {@code accepts} and {@code load} on it with the default options and
   * hands the loaded model to {@code use} (to build its graph, say) before closing it; the file is deleted after.
   */
  public static String assertLoadsOrRefuses(ModelLoader loader, Path scratch, String suffix, String input,
      byte[] bytes, Duration perTry, Consumer<LoadedModel> use) throws IOException {
    Path file = Files.createTempFile(scratch, "fuzz", suffix);
    try {
      Files.write(file, bytes);
      return assertSucceedsOrRefuses(input, perTry, () -> {
        loader.accepts(file);
        try (LoadedModel model = loader.load(file, LoadOptions.defaults())) {
          use.accept(model);
        }
      });
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** "ok" or the category; for a refusal also its cause's class. */
  private record Outcome(String result, String cause) {}

  private static Outcome classify(String input, Attempt attempt) {
    try {
      attempt.run();
      return new Outcome("ok", null);
    } catch (AbscanException e) {
      if (!INPUT_CATEGORIES.contains(e.category())) {
        fail(input + ": refused with category " + e.category() + " (the input's fault expected): " + e, e);
      }
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        fail(input + ": " + e.category() + " without a message", e);
      }
      if (e.violations().isEmpty()) {
        fail(input + ": " + e.category() + " names no file, field, node or layer (no violation): " + e, e);
      }
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof Error) {
          fail(input + ": a catch-all turned " + cause + " into " + e.category()
              + "; the size or depth should have been checked before", e);
        }
      }
      return new Outcome(e.category().name(),
          e.getCause() == null ? "none" : e.getCause().getClass().getSimpleName());
    } catch (Throwable t) {
      return fail(input + ": escaped as " + t, t);
    }
  }
}
