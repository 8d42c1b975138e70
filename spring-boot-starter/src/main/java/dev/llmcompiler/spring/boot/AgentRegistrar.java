package dev.llmcompiler.spring.boot;

import dev.llmcompiler.runtime.internal.AgentFactory;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.StringUtils;

/**
 * Registers a bean for every {@code @Agent} interface whose generated factory is listed in {@code
 * META-INF/services}, of the interface's own type, named after it ({@code travelAgent} for {@code
 * TravelAgent}, or the interface's full name if that name is taken), unless the application already
 * defines a bean of that type. Each agent gets its own {@code LlmCompiler}, configured as the
 * {@code LlmCompiler} bean is, with the tools of its {@code @Agent(tools = ...)} classes (all the
 * application's tools when it names none), and is closed with the context. Agent beans are lazy:
 * each is made when first injected or looked up.
 */
final class AgentRegistrar
    implements ImportBeanDefinitionRegistrar, BeanClassLoaderAware, BeanFactoryAware {
  private ClassLoader classLoader;
  private BeanFactory beanFactory;

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    for (AgentFactory<?> factory : GeneratedFactories.agents(classLoader)) {
      if (registry instanceof ListableBeanFactory beans
          && beans.getBeanNamesForType(factory.type(), true, false).length > 0) {
        continue;
      }
      String name = StringUtils.uncapitalize(factory.type().getSimpleName());
      if (registry.containsBeanDefinition(name)) {
        name = factory.type().getName();
      }
      registry.registerBeanDefinition(name, definition(factory));
    }
  }

  private <T> RootBeanDefinition definition(AgentFactory<T> factory) {
    RootBeanDefinition definition = new RootBeanDefinition(factory.type(), () -> create(factory));
    // The generated implementation is AutoCloseable: closing it closes its compiler.
    definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
    // An agent nobody injects costs nothing: no compiler, no threads, and its tools need not be
    // beans.
    definition.setLazyInit(true);
    return definition;
  }

  private <T> T create(AgentFactory<T> factory) {
    CompilerBuilders builders = beanFactory.getBean(CompilerBuilders.class);
    ToolSetBeans tools = beanFactory.getBean(ToolSetBeans.class);
    return factory.create(builders.builder(tools.of(factory), true));
  }
}
