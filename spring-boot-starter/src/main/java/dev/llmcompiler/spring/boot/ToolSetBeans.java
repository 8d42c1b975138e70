package dev.llmcompiler.spring.boot;

import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.AgentFactory;
import dev.llmcompiler.runtime.internal.ToolSetFactory;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The tool sets of the application's beans: for every bean whose class (or a superclass or
 * interface of it) declares {@code @Tool} methods, the generated tool set, found through the {@link
 * ToolSetFactory} listed for that class; and every bean that is itself a {@link ToolSet}.
 *
 * <p>Beans are matched on their user class, as Spring's own annotation processing does: the class
 * an AOP proxy was made for. The tool set calls the bean as the container hands it out, that is
 * through the proxy, so {@code @Transactional}, security and other advice apply to tool calls.
 * Computed once, on first use, and sorted by bean name so the planner's prompt is the same on every
 * start.
 */
final class ToolSetBeans {
  /**
   * Registered as the dependent of every tool bean, so those outlive whatever uses their tool sets.
   */
  static final String BEAN_NAME = "llmCompilerToolSetBeans";

  private final ConfigurableListableBeanFactory beans;
  private List<ToolSetFactory> factories;
  private Map<ToolSetFactory, ToolSet> byFactory;
  private List<ToolSet> all;

  ToolSetBeans(ConfigurableListableBeanFactory beans) {
    this.beans = beans;
  }

  /**
   * Every tool set of the application, for the {@code LlmCompiler} bean and agents that name no
   * tools.
   */
  synchronized List<ToolSet> all() {
    if (all == null) {
      find();
    }
    return all;
  }

  /**
   * The tool sets of an agent: those of its {@code @Agent(tools = ...)} classes (a class whose
   * tools are all static needs no bean), or all of them when it names none.
   */
  synchronized List<ToolSet> of(AgentFactory<?> agent) {
    if (agent.toolClassNames().isEmpty()) {
      return all();
    }
    all();
    List<ToolSet> toolSets = new ArrayList<>();
    for (String name : agent.toolClassNames()) {
      ToolSetFactory factory =
          factories.stream()
              .filter(f -> f.type().getName().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "@Agent "
                              + agent.type().getName()
                              + " uses the tools of "
                              + name
                              + ", but no generated tool set factory for it is on the class path. Compile "
                              + name
                              + " with llmcompiler-processor on the annotation processor path."));
      ToolSet toolSet = byFactory.get(factory);
      if (toolSet == null && factory.isStatic()) {
        toolSet = factory.create(null);
      }
      if (toolSet == null) {
        throw new IllegalStateException(
            "@Agent "
                + agent.type().getName()
                + " uses the tools of "
                + name
                + " (@Agent(tools = ...)), but no bean is a "
                + factory.type().getSimpleName()
                + ". Declare one, e.g."
                + " annotate "
                + factory.type().getSimpleName()
                + " with @Service or @Component.");
      }
      toolSets.add(toolSet);
    }
    return toolSets;
  }

  private void find() {
    factories = GeneratedFactories.toolSets(beans.getBeanClassLoader());
    Map<ToolSetFactory, List<String>> candidates = new LinkedHashMap<>();
    List<String> names =
        new ArrayList<>(List.of(beans.getBeanNamesForType(Object.class, false, false)));
    names.sort(Comparator.naturalOrder());
    for (String name : names) {
      if (ScopedProxyUtils.isScopedTarget(name)) {
        continue;
      }
      Class<?> userClass = userClass(name);
      if (userClass == null) {
        continue;
      }
      for (ToolSetFactory factory : factories) {
        if (factory.type().isAssignableFrom(userClass)) {
          candidates.computeIfAbsent(factory, key -> new ArrayList<>()).add(name);
        }
      }
    }
    byFactory = new LinkedHashMap<>();
    Map<String, ToolSet> byBean = new java.util.TreeMap<>();
    for (Map.Entry<ToolSetFactory, List<String>> entry : candidates.entrySet()) {
      ToolSetFactory factory = entry.getKey();
      String name = single(factory, entry.getValue());
      Object bean = beans.getBean(name);
      if (!factory.type().isInstance(bean)) {
        throw new IllegalStateException(
            "Bean '"
                + name
                + "' is a "
                + userClass(name).getName()
                + ", whose tools are"
                + " declared in "
                + factory.type().getName()
                + ", but the container hands it out as "
                + bean.getClass().getName()
                + (Proxy.isProxyClass(bean.getClass()) ? " (an interface-based JDK proxy)" : "")
                + ", which is not a "
                + factory.type().getSimpleName()
                + ", so its tools cannot be called through it. Let"
                + " Spring proxy the class (spring.aop.proxy-target-class=true, Spring Boot's default) or declare the"
                + " @Tool methods on an interface the bean implements.");
      }
      // Tool beans must outlive the compilers and agents that call them.
      beans.registerDependentBean(name, BEAN_NAME);
      ToolSet toolSet = factory.create(bean);
      byFactory.put(factory, toolSet);
      byBean.put(name + "\u0000" + factory.type().getName(), toolSet);
    }
    Set<Class<?>> declared = new HashSet<>();
    List<String> toolSetNames =
        new ArrayList<>(List.of(beans.getBeanNamesForType(ToolSet.class, false, false)));
    toolSetNames.sort(Comparator.naturalOrder());
    List<ToolSet> declaredSets = new ArrayList<>();
    for (String name : toolSetNames) {
      ToolSet toolSet = beans.getBean(name, ToolSet.class);
      beans.registerDependentBean(name, BEAN_NAME);
      declared.add(toolSet.getClass());
      declaredSets.add(toolSet);
    }
    List<ToolSet> result = new ArrayList<>();
    // A tool set the application declared as a bean wins over the one generated for the same class.
    byBean.values().stream()
        .filter(toolSet -> !declared.contains(toolSet.getClass()))
        .forEach(result::add);
    result.addAll(declaredSets);
    all = List.copyOf(result);
  }

  /** The one bean of a tool class; several are fine if exactly one is primary. */
  private String single(ToolSetFactory factory, List<String> names) {
    if (names.size() == 1) {
      return names.get(0);
    }
    List<String> primary =
        names.stream().filter(name -> beans.getMergedBeanDefinition(name).isPrimary()).toList();
    if (primary.size() == 1) {
      return primary.get(0);
    }
    throw new IllegalStateException(
        "Beans "
            + names
            + " are all "
            + factory.type().getName()
            + ", whose @Tool"
            + " methods would be offered twice under the same names. Mark one @Primary to take its tools, or define"
            + " the LlmCompiler bean yourself.");
  }

  /** The class a bean was declared with, before any proxying, or {@code null} if not known yet. */
  private Class<?> userClass(String name) {
    Class<?> type = null;
    if (beans.containsBeanDefinition(name)) {
      BeanDefinition definition = beans.getMergedBeanDefinition(name);
      if (definition.getAttribute(AutoProxyUtils.ORIGINAL_TARGET_CLASS_ATTRIBUTE)
          instanceof Class<?> target) {
        type = target;
      }
    }
    if (type == null) {
      // Without initializing FactoryBeans early: this runs while singletons are being created.
      type = beans.getType(name, false);
    }
    return type == null ? null : ClassUtils.getUserClass(type);
  }
}
