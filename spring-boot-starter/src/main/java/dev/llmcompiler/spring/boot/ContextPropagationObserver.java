package dev.llmcompiler.spring.boot;

import dev.llmcompiler.runtime.RunObserver;
import dev.llmcompiler.runtime.TaskEvent;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.springframework.util.ClassUtils;

/**
 * Carries the context of the thread that starts a run to every tool call of the run, with
 * Micrometer's context-propagation: captured in {@link #runStarted} on the caller's thread, set on
 * the tool's thread while its method runs, and restored after.
 *
 * <p>What is carried: every {@link ThreadLocalAccessor} registered with the global {@link
 * ContextRegistry} (through {@code ServiceLoader}, e.g. Micrometer's current Observation, or by the
 * application), plus the whole SLF4J MDC, plus Spring Security's {@code SecurityContext} when
 * Spring Security is on the class path. A value the caller does not have is cleared on the tool's
 * thread for the call, so a tool never sees another run's context.
 */
final class ContextPropagationObserver implements RunObserver {
  private final ContextSnapshotFactory snapshots;

  private ContextPropagationObserver(ContextSnapshotFactory snapshots) {
    this.snapshots = snapshots;
  }

  static ContextPropagationObserver create(ClassLoader classLoader) {
    ContextRegistry registry = new ContextRegistry();
    ContextRegistry.getInstance()
        .getThreadLocalAccessors()
        .forEach(registry::registerThreadLocalAccessor);
    if (ClassUtils.isPresent("org.slf4j.MDC", classLoader)
        && !has(registry, Slf4jThreadLocalAccessor.KEY)) {
      registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
    }
    if (ClassUtils.isPresent(
            "org.springframework.security.core.context.SecurityContextHolder", classLoader)
        && !has(registry, SecurityContextAccessor.KEY)) {
      registry.registerThreadLocalAccessor(new SecurityContextAccessor());
    }
    return new ContextPropagationObserver(
        ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build());
  }

  private static boolean has(ContextRegistry registry, Object key) {
    return registry.getThreadLocalAccessors().stream()
        .anyMatch(accessor -> accessor.key().equals(key));
  }

  @Override
  public Run runStarted(String question) {
    ContextSnapshot snapshot = snapshots.captureAll();
    ToolCall call =
        new ToolCall() {
          @Override
          public Scope makeCurrent() {
            ContextSnapshot.Scope scope = snapshot.setThreadLocals();
            return scope::close;
          }
        };
    return new Run() {
      @Override
      public ToolCall toolCall(TaskEvent task) {
        return call;
      }
    };
  }
}
