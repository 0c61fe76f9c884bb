package org.abscan.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access log has one line per call, including calls the client cancels before the server closes them. */
class CallLogInterceptorTest {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
    @Override
    public void append(LogEvent event) {
      lines.add(event.getMessage().getFormattedMessage());
    }
  };
  private static final String ACCESS = "org.abscan.server.access";
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(),
            new CallLogInterceptor()))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    // One call first: gRPC's first use bridges its java.util.logging into Log4j, which reconfigures the
    // logger context and would reset a level set before it.
    HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    capture.start();
    // A logger config of its own (not the logger object's level, which a context update resets).
    Configurator.setLevel(ACCESS, Level.INFO);
    LoggerContext context = LoggerContext.getContext(false);
    context.getConfiguration().getLoggerConfig(ACCESS).addAppender(capture, Level.INFO, null);
    context.updateLoggers();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    LoggerContext context = LoggerContext.getContext(false);
    context.getConfiguration().getLoggerConfig(ACCESS).removeAppender("capture");
    Configurator.setLevel(ACCESS, Level.WARN);
    context.updateLoggers();
  }

  @Test
  void aStreamTheClientCancelsIsLoggedOnce() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    Context.CancellableContext context = Context.current().withCancellation();
    // Watch streams until the client goes away: the server never closes it.
    context.run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
        new StreamObserver<HealthCheckResponse>() {
          @Override
          public void onNext(HealthCheckResponse value) {
            first.countDown();
          }

          @Override
          public void onError(Throwable t) {
          }

          @Override
          public void onCompleted() { }
        }));
    assertTrue(first.await(5, TimeUnit.SECONDS), "the watch started");
    context.cancel(null);
    for (int i = 0; i < 100 && lines.isEmpty(); i++) {
      Thread.sleep(50);
    }
    Thread.sleep(100); // a second line, if any, would come now
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("grpc.health.v1.Health/Watch CANCELLED"), lines.get(0));
    assertTrue(lines.get(0).contains("by the client"), lines.get(0));
  }

  @Test
  void aCallTheServerFailsIsLoggedWithItsStatus() {
    // Check of an unknown service: the server closes the call with NOT_FOUND.
    try {
      HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("nope").build());
    } catch (io.grpc.StatusRuntimeException expected) {
      assertEquals(io.grpc.Status.Code.NOT_FOUND, expected.getStatus().getCode());
    }
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("grpc.health.v1.Health/Check NOT_FOUND"), lines.get(0));
  }
}
