package dev.llmcompiler.spring.boot;

import dev.llmcompiler.runtime.internal.AgentFactory;
import dev.llmcompiler.runtime.internal.ToolSetFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The factories the annotation processor generated and listed in {@code META-INF/services}, found
 * with {@link ServiceLoader}: no class path scanning, no reflection. A listed factory that cannot
 * be loaded (an entry left behind by an incremental build whose class is gone) is skipped with a
 * warning instead of failing the application.
 */
final class GeneratedFactories {
  private static final Log LOG = LogFactory.getLog(GeneratedFactories.class);

  private GeneratedFactories() {}

  /** Every tool set factory, sorted by the name of the class it serves. */
  static List<ToolSetFactory> toolSets(ClassLoader classLoader) {
    return load(ToolSetFactory.class, classLoader, ToolSetFactory::type);
  }

  /** Every agent factory, sorted by the name of its interface. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static List<AgentFactory<?>> agents(ClassLoader classLoader) {
    List<AgentFactory> agents = load(AgentFactory.class, classLoader, AgentFactory::type);
    return (List) agents;
  }

  private static <S> List<S> load(
      Class<S> service, ClassLoader classLoader, Function<S, Class<?>> type) {
    List<S> factories = new ArrayList<>();
    Iterator<S> iterator = ServiceLoader.load(service, classLoader).iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        S factory = iterator.next();
        type.apply(factory);
        factories.add(factory);
      } catch (ServiceConfigurationError | LinkageError e) {
        LOG.warn(
            "Skipping a "
                + service.getSimpleName()
                + " listed in META-INF/services that cannot be loaded"
                + " (left behind by an incremental build? a clean build removes it): "
                + e);
      }
    }
    factories.sort(Comparator.comparing(factory -> type.apply(factory).getName()));
    return factories;
  }
}
