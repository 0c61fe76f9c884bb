package org.abscan.server.worker;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.abscan.proto.worker.v1.DecodedSeed;
import org.abscan.proto.worker.v1.Violation;
import org.abscan.proto.worker.v1.WorkerFailure;
import org.abscan.server.seeds.DecodedImage;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/**
 * Conversions between the daemon's and the worker's Java values and the internal abscan.worker.v1 messages:
 * decoded seeds one way, failures the other (an {@link AbscanException} keeps its category and violations, so
 * the daemon's StatusMapper gives the client the same status as in-process).
 */
public final class WorkerMessages {
  private WorkerMessages() {}

  public static List<DecodedSeed> toProto(List<org.abscan.server.seeds.DecodedSeed> seeds) {
    List<DecodedSeed> out = new ArrayList<>(seeds.size());
    for (org.abscan.server.seeds.DecodedSeed seed : seeds) {
      DecodedImage image = seed.image();
      int[] rgb = image.rgb();
      byte[] packed = new byte[Math.multiplyExact(rgb.length, 3)];
      for (int p = 0; p < rgb.length; p++) {
        packed[3 * p] = (byte) (rgb[p] >> 16);
        packed[3 * p + 1] = (byte) (rgb[p] >> 8);
        packed[3 * p + 2] = (byte) rgb[p];
      }
      out.add(DecodedSeed.newBuilder().setField(seed.field()).setName(seed.name()).setLabel(seed.label())
          .setWidth(image.width()).setHeight(image.height()).setGrey(image.grey())
          .setRgb(ByteString.copyFrom(packed)).build());
    }
    return out;
  }

  /** @throws AbscanException INTERNAL when a message is inconsistent (the daemon built it, so a bug) */
  public static List<org.abscan.server.seeds.DecodedSeed> fromProto(List<DecodedSeed> seeds) {
    List<org.abscan.server.seeds.DecodedSeed> out = new ArrayList<>(seeds.size());
    for (DecodedSeed seed : seeds) {
      byte[] packed = seed.getRgb().toByteArray();
      long pixels = (long) seed.getWidth() * seed.getHeight();
      if (seed.getWidth() <= 0 || seed.getHeight() <= 0 || packed.length != pixels * 3) {
        throw new AbscanException(ErrorCategory.INTERNAL, "seed " + seed.getName() + " has "
            + packed.length + " bytes for " + seed.getWidth() + "x" + seed.getHeight());
      }
      int[] rgb = new int[(int) pixels];
      for (int p = 0; p < rgb.length; p++) {
        rgb[p] = (packed[3 * p] & 0xff) << 16 | (packed[3 * p + 1] & 0xff) << 8 | (packed[3 * p + 2] & 0xff);
      }
      out.add(new org.abscan.server.seeds.DecodedSeed(seed.getField(), seed.getName(), seed.getLabel(),
          new DecodedImage(seed.getWidth(), seed.getHeight(), seed.getGrey(), rgb)));
    }
    return out;
  }

  /** A task's failure in the worker, for the daemon. Anything but AbscanException is INTERNAL. */
  public static WorkerFailure toProto(Throwable failure) {
    if (failure instanceof CancellationException) {
      return WorkerFailure.newBuilder().setCancelled(true).setMessage("cancelled").build();
    }
    if (failure instanceof AbscanException e) {
      WorkerFailure.Builder out = WorkerFailure.newBuilder().setCategory(e.category().name())
          .setMessage(e.getMessage() == null ? "" : e.getMessage());
      e.violations().forEach(v -> out.addViolations(
          Violation.newBuilder().setSubject(v.subject()).setDescription(v.description())));
      return out.build();
    }
    return WorkerFailure.newBuilder().setCategory(ErrorCategory.INTERNAL.name())
        .setMessage("worker: " + failure).build();
  }

  /** The exception the daemon rethrows for a worker's failure. */
  public static RuntimeException fromProto(WorkerFailure failure) {
    if (failure.getCancelled()) {
      return new CancellationException(failure.getMessage());
    }
    ErrorCategory category;
    try {
      category = ErrorCategory.valueOf(failure.getCategory());
    } catch (IllegalArgumentException e) {
      category = ErrorCategory.INTERNAL;
    }
    List<AbscanException.Violation> violations = failure.getViolationsList().stream()
        .map(v -> new AbscanException.Violation(v.getSubject(), v.getDescription())).toList();
    return new AbscanException(category, failure.getMessage(), violations);
  }
}
