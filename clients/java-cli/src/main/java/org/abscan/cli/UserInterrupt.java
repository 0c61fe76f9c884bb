package org.abscan.cli;

import io.grpc.Context;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C handling. Calls in flight register their cancellable context here; {@link #interrupt()} (run from
 * the JVM's SIGINT shutdown hook) cancels them, which cancels the call and with it the scan on the server.
 * Commands then see CANCELLED, ask {@link #wasInterrupted()} and exit 130.
 */
public final class UserInterrupt {
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private final Set<Context.CancellableContext> active = ConcurrentHashMap.newKeySet();

  /** A context whose calls are cancelled on interrupt; close it (try-with-resources) when the call ends. */
  public Registration open() {
    Context.CancellableContext context = Context.current().withCancellation();
    active.add(context);
    if (interrupted.get()) {
      context.cancel(null);
    }
    return new Registration(context);
  }

  public void interrupt() {
    interrupted.set(true);
    for (Context.CancellableContext context : active) {
      context.cancel(null);
    }
  }

  public boolean wasInterrupted() {
    return interrupted.get();
  }

  /** One registered context; closing it forgets it (and cancels whatever still runs in it). */
  public final class Registration implements AutoCloseable {
    private final Context.CancellableContext context;

    private Registration(Context.CancellableContext context) {
      this.context = context;
    }

    public Context.CancellableContext context() {
      return context;
    }

    @Override
    public void close() {
      active.remove(context);
      context.cancel(null);
    }
  }
}
