package org.abscan.spi.testkit.fuzz;

import java.util.Arrays;

/**
 * One edit of a file's bytes. Positions are fractions of the current length rather than offsets, so the same
 * mutation applies to any fixture and jqwik can shrink a failing input towards the start of the file.
 *
 * @param kind what the edit does
 * @param at where it starts, as a fraction in [0, 1) of the length
 * @param to a second position (where a duplicated chunk is inserted), as a fraction in [0, 1)
 * @param length how many bytes a chunk edit covers (1 or more)
 * @param value the value written: a byte, int or long, or a varint, depending on {@code kind}
 */
public record ByteMutation(Kind kind, double at, double to, int length, long value) {

  /** The edit kinds: random damage plus the lying-header values that break size arithmetic. */
  public enum Kind {
    /** Flips bit {@code value & 7} of one byte. */
    FLIP_BIT,
    /** Overwrites one byte with {@code value}'s low byte (0x00, 0xFF, 0x7F, 0x80 are among the values drawn). */
    SET_BYTE,
    /** Overwrites four bytes with {@code value} as a little-endian int (0x7FFFFFFF, 0x80000000, -1 ...). */
    SET_INT_LE,
    /** Overwrites four bytes with {@code value} as a big-endian int (headers of PNG and friends). */
    SET_INT_BE,
    /** Overwrites eight bytes with {@code value} as a little-endian long (HDF5 sizes and addresses). */
    SET_LONG_LE,
    /** Overwrites with {@code value} as a protobuf varint (protobuf lengths, dims, enum values). */
    SET_VARINT,
    /** Cuts the file at {@code at}. */
    TRUNCATE,
    /** Copies the chunk at {@code at} and inserts the copy at {@code to}. */
    DUPLICATE_CHUNK,
    /** Inserts {@code length} pseudo-random bytes (derived from {@code value}) at {@code at}. */
    INSERT_BYTES,
    /** Removes the chunk at {@code at}. */
    DELETE_CHUNK
  }

  public ByteMutation {
    if (at < 0 || at >= 1 || to < 0 || to >= 1 || length < 1) {
      throw new IllegalArgumentException("positions must be in [0, 1) and length >= 1");
    }
  }

  /** The mutated copy; {@code data} is left as it was. An empty input stays empty except for insertions. */
  public byte[] apply(byte[] data) {
    int n = data.length;
    int pos = (int) (at * n);
    if (n == 0 && kind != Kind.INSERT_BYTES) {
      return data.clone();
    }
    byte[] out = data.clone();
    switch (kind) {
      case FLIP_BIT -> out[pos] ^= (byte) (1 << (value & 7));
      case SET_BYTE -> out[pos] = (byte) value;
      case SET_INT_LE -> write(out, pos, value, 4, false);
      case SET_INT_BE -> write(out, pos, value, 4, true);
      case SET_LONG_LE -> write(out, pos, value, 8, false);
      case SET_VARINT -> writeVarint(out, pos, value);
      case TRUNCATE -> out = Arrays.copyOf(data, pos);
      case DUPLICATE_CHUNK ->
          out = insert(data, (int) (to * n), Arrays.copyOfRange(data, pos, Math.min(n, pos + length)));
      case INSERT_BYTES -> out = insert(data, pos, noise(length, value));
      case DELETE_CHUNK -> out = delete(data, pos, Math.min(n, pos + length));
      default -> throw new IllegalStateException(kind.toString());
    }
    return out;
  }

  private static void write(byte[] out, int pos, long value, int width, boolean bigEndian) {
    for (int i = 0; i < width && pos + i < out.length; i++) {
      int shift = 8 * (bigEndian ? width - 1 - i : i);
      out[pos + i] = (byte) (value >>> shift);
    }
  }

  private static void writeVarint(byte[] out, int pos, long value) {
    long v = value;
    for (int i = pos; i < out.length; i++) {
      if ((v & ~0x7FL) == 0) {
        out[i] = (byte) v;
        return;
      }
      out[i] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
  }

  private static byte[] insert(byte[] data, int pos, byte[] chunk) {
    byte[] out = new byte[data.length + chunk.length];
    System.arraycopy(data, 0, out, 0, pos);
    System.arraycopy(chunk, 0, out, pos, chunk.length);
    System.arraycopy(data, pos, out, pos + chunk.length, data.length - pos);
    return out;
  }

  private static byte[] delete(byte[] data, int from, int until) {
    byte[] out = new byte[data.length - (until - from)];
    System.arraycopy(data, 0, out, 0, from);
    System.arraycopy(data, until, out, from, data.length - until);
    return out;
  }

  private static byte[] noise(int length, long seed) {
    byte[] bytes = new byte[length];
    new java.util.SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }
}
