package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.spring.boot.fixtures.Greeter;
import dev.llmcompiler.spring.boot.fixtures.Lookup;
import dev.llmcompiler.spring.boot.fixtures.LookupImpl;
import dev.llmcompiler.spring.boot.fixtures.Named;
import dev.llmcompiler.spring.boot.fixtures.UnitsTools;
import dev.llmcompiler.spring.boot.fixtures.WeatherService;
import dev.llmcompiler.spring.boot.fixtures.WeatherServiceTools;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.autoproxy.DefaultAdvisorAutoProxyCreator;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code LlmCompiler} bean holds the generated tool sets of the beans whose class, superclass
 * or interfaces declare {@code @Tool} methods, found through the processor's factories; proxied
 * beans are matched on their class and called through the proxy.
 */
class ToolBeansTest {
  private ScriptedOpenAiServer server;
  private ApplicationContextRunner runner;

  @BeforeEach
  void startServer() {
    server = ScriptedOpenAiServer.start();
    runner = Contexts.runner(server.baseUrl());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void theCompilerHasTheToolsOfEveryToolBeanSortedByBeanName() {
    runner
        .withBean("weather", WeatherService.class)
        .withBean("lookup", LookupImpl.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              // Lookup's tools come from the interface LookupImpl implements.
              assertThat(context.getBean(LlmCompiler.class).toolNames())
                  .containsExactly("lookup", "forecast");
            });
  }

  @Test
  void toolCallsReachTheBean() {
    server.enqueue(
        ScriptedResponse.stream("1. forecast(\"Oslo\")\n2. lookup(\"k\")\n3. join()<END_OF_PLAN>"),
        ScriptedResponse.stream("Action: Finish(Sunny.)"));
    runner
        .withBean(WeatherService.class)
        .withBean(LookupImpl.class)
        .run(
            context -> {
              RunResult result = context.getBean(LlmCompiler.class).run("Weather in Oslo, and k?");
              assertThat(result.answer()).isEqualTo("Sunny.");
              assertThat(Runs.results(result)).containsExactly("sunny in Oslo", "value of k");
            });
  }

  @Test
  void aBeanBehindAnAopProxyIsFoundByItsClassAndCalledThroughTheProxy() {
    List<String> intercepted = Collections.synchronizedList(new ArrayList<>());
    server.enqueue(
        ScriptedResponse.stream("1. forecast(\"Rome\")\n2. join()<END_OF_PLAN>"),
        ScriptedResponse.stream("Action: Finish(Sunny.)"));
    runner
        .withBean(
            DefaultAdvisorAutoProxyCreator.class,
            () -> {
              DefaultAdvisorAutoProxyCreator creator = new DefaultAdvisorAutoProxyCreator();
              creator.setProxyTargetClass(true);
              return creator;
            })
        .withBean(Advisor.class, () -> recording("forecast", intercepted))
        .withBean(WeatherService.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Object bean = context.getBean(WeatherService.class);
              assertThat(bean.getClass()).isNotEqualTo(WeatherService.class); // a CGLIB proxy
              RunResult result = context.getBean(LlmCompiler.class).run("Weather in Rome?");
              assertThat(Runs.results(result)).containsExactly("SUNNY IN ROME");
              assertThat(intercepted).containsExactly("forecast");
            });
  }

  @Test
  void anInterfaceProxyOfAClassWithToolsIsAnErrorThatSaysWhatToDo() {
    runner
        .withBean(DefaultAdvisorAutoProxyCreator.class) // proxies interfaces when the bean has some
        .withBean(Advisor.class, () -> recording("greet", new ArrayList<>()))
        .withBean("greeter", Greeter.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("Bean 'greeter' is a " + Greeter.class.getName())
                  .hasMessageContaining("an interface-based JDK proxy")
                  .hasMessageContaining("spring.aop.proxy-target-class=true");
              assertThat(Named.class).isInterface();
            });
  }

  @Test
  void toolsDeclaredOnAnInterfaceWorkThroughAnInterfaceProxy() {
    List<String> intercepted = Collections.synchronizedList(new ArrayList<>());
    server.enqueue(
        ScriptedResponse.stream("1. lookup(\"k\")\n2. join()<END_OF_PLAN>"),
        ScriptedResponse.stream("Action: Finish(Found.)"));
    runner
        .withBean(DefaultAdvisorAutoProxyCreator.class)
        .withBean(Advisor.class, () -> recording("lookup", intercepted))
        .withBean(Lookup.class, LookupImpl::new)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Lookup.class).getClass().getName()).contains("Proxy");
              assertThat(Runs.results(context.getBean(LlmCompiler.class).run("k?")))
                  .containsExactly("VALUE OF K");
              assertThat(intercepted).containsExactly("lookup");
            });
  }

  @Test
  void twoBeansOfOneToolClassAreAnErrorUnlessOneIsPrimary() {
    runner
        .withBean("first", WeatherService.class)
        .withBean("second", WeatherService.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining(
                      "Beans [first, second] are all " + WeatherService.class.getName())
                  .hasMessageContaining("Mark one @Primary");
            });
    runner
        .withBean("first", WeatherService.class)
        .withBean(
            "second",
            WeatherService.class,
            WeatherService::new,
            definition -> definition.setPrimary(true))
        .run(
            context ->
                assertThat(context.getBean(LlmCompiler.class).toolNames())
                    .containsExactly("forecast"));
  }

  @Test
  void toolSetBeansAreAddedAndWinOverTheGeneratedSetOfTheSameClass() {
    runner
        .withBean(WeatherService.class)
        .withBean(ToolSet.class, () -> WeatherServiceTools.of(new WeatherService()))
        .withBean(LookupImpl.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(LlmCompiler.class).toolNames())
                  .containsExactly("lookup", "forecast");
            });
  }

  @Test
  void withoutToolBeansStartupFailsSayingWhatToCheck() {
    runner.run(
        context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure())
              .rootCause()
              .hasMessageContaining("The LlmCompiler bean has no tools")
              .hasMessageContaining("llmcompiler-processor on the annotation processor path");
        });
  }

  @Test
  void anApplicationsOwnLlmCompilerReplacesTheAutoConfiguredOne() {
    runner
        .withBean(WeatherService.class)
        .withBean(
            "mine",
            LlmCompiler.class,
            () ->
                LlmCompiler.builder()
                    .llm(
                        (request, listener) -> {
                          throw new UnsupportedOperationException();
                        })
                    .tools(UnitsTools.of())
                    .build())
        .run(
            context -> {
              assertThat(context).hasSingleBean(LlmCompiler.class);
              assertThat(context.getBean(LlmCompiler.class).toolNames()).containsExactly("celsius");
            });
  }

  /**
   * An advisor whose interceptor records the calls of {@code method} and upper-cases their results.
   */
  private static Advisor recording(String method, List<String> calls) {
    NameMatchMethodPointcutAdvisor advisor =
        new NameMatchMethodPointcutAdvisor(
            (MethodInterceptor)
                invocation -> {
                  calls.add(invocation.getMethod().getName());
                  return ((String) invocation.proceed()).toUpperCase(java.util.Locale.ROOT);
                });
    advisor.setMappedName(method);
    return advisor;
  }
}
