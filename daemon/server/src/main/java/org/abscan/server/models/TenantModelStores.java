package org.abscan.server.models;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.abscan.server.auth.Tenants;

/**
 * One {@link ModelStore} per tenant, so a tenant can neither list, use nor delete another's uploads (the same
 * bytes uploaded by two tenants are stored twice: sharing would reveal that the other has them). The default
 * tenant (authentication off) keeps the original layout {@code <data-dir>/models}; others live under
 * {@code <data-dir>/tenants/<name>/models}.
 */
public final class TenantModelStores {
  private final Path dataDir;
  private final Clock clock;
  private final Map<String, ModelStore> stores = new ConcurrentHashMap<>();

  public TenantModelStores(Path dataDir, Clock clock) {
    this.dataDir = dataDir;
    this.clock = clock;
    stores.put(Tenants.DEFAULT, new ModelStore(dataDir, clock));
  }

  /** The store of the calling tenant ({@link Tenants#current()}). */
  public ModelStore current() {
    return of(Tenants.current());
  }

  public ModelStore of(String tenant) {
    return stores.computeIfAbsent(tenant,
        t -> new ModelStore(dataDir.resolve("tenants").resolve(Tenants.directoryName(t)), clock));
  }
}
