package org.abscan.spi.testkit.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of {@link ByteMutation}s for mutation-based fuzzing of file parsers: from a valid fixture,
 * a few random edits, biased towards the values that make size arithmetic lie (0, all ones, 2^31 - 1, 2^31,
 * 2^32, 2^40, Long.MAX_VALUE).
 */
public final class ByteMutations {
  /** Values a lying header field is most likely to carry; drawn about half of the time. */
  public static final List<Long> BOUNDARY_VALUES = List.of(0L, 1L, -1L, 0x7FL, 0x80L, 0xFFL, 0x7FFFL, 0xFFFFL,
      0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 1L << 32, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE);

  private ByteMutations() {}

  /** A value for a header field: a boundary value or any long. */
  public static Arbitrary<Long> values() {
    return Arbitraries.oneOf(Arbitraries.of(BOUNDARY_VALUES), Arbitraries.longs());
  }

  /** One mutation of any kind, chunks up to {@code maxChunk} bytes. */
  public static Arbitrary<ByteMutation> mutation(int maxChunk) {
    Arbitrary<Double> fraction = Arbitraries.doubles().between(0, true, 1, false);
    return Combinators.combine(Arbitraries.of(ByteMutation.Kind.class), fraction, fraction,
        Arbitraries.integers().between(1, maxChunk), values()).as(ByteMutation::new);
  }

  /** One to {@code maxEdits} mutations, applied in order. */
  public static Arbitrary<List<ByteMutation>> mutations(int maxEdits, int maxChunk) {
    return mutation(maxChunk).list().ofMinSize(1).ofMaxSize(maxEdits);
  }

  /** {@code data} with every mutation applied in order. */
  public static byte[] apply(byte[] data, List<ByteMutation> mutations) {
    byte[] out = data;
    for (ByteMutation m : mutations) {
      out = m.apply(out);
    }
    return out;
  }
}
