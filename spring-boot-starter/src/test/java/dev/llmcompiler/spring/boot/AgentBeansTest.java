package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.spring.boot.fixtures.GeneralAgent;
import dev.llmcompiler.spring.boot.fixtures.GeneralAgentImpl;
import dev.llmcompiler.spring.boot.fixtures.LookupImpl;
import dev.llmcompiler.spring.boot.fixtures.TravelAgent;
import dev.llmcompiler.spring.boot.fixtures.TravelAgentImpl;
import dev.llmcompiler.spring.boot.fixtures.WeatherService;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every {@code @Agent} interface is a bean of its own type, with its tools and the configured
 * options.
 */
class AgentBeansTest {

  @Test
  void everyAgentIsABeanOfItsInterfaceWithTheToolsItNames() {
    Contexts.runner(Contexts.NO_SERVER)
        .withBean(WeatherService.class)
        .withBean(LookupImpl.class)
        .withPropertyValues("llmcompiler.tool-timeouts.lookup=5s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBeanNamesForType(TravelAgent.class))
                  .containsExactly("travelAgent");
              assertThat(context.getBeanNamesForType(GeneralAgent.class))
                  .containsExactly("generalAgent");
              // @Agent(tools = {WeatherService.class, Units.class}): a bean's tools, and static
              // ones without a bean.
              // The per-tool timeout of "lookup", a tool this agent lacks, is left out instead of
              // failing.
              TravelAgentImpl travel = (TravelAgentImpl) context.getBean(TravelAgent.class);
              assertThat(travel.compiler().toolNames()).containsExactly("forecast", "celsius");
              assertThat(travel.compiler().plannerSystemPrompt())
                  .contains("Answer for travellers.");
              // An agent that names no tools gets every tool of the application, as the LlmCompiler
              // bean.
              GeneralAgentImpl general = (GeneralAgentImpl) context.getBean(GeneralAgent.class);
              assertThat(general.compiler().toolNames())
                  .containsExactlyElementsOf(context.getBean(LlmCompiler.class).toolNames());
            });
  }

  @Test
  void anAgentAnswersThroughTheModelServer() {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start()) {
      server.enqueue(
          ScriptedResponse.stream(
              "1. forecast(\"Lisbon\")\n2. celsius(68)\n3. join()<END_OF_PLAN>"),
          ScriptedResponse.stream("Action: Finish(Sunny, 20 degrees.)"));
      Contexts.runner(server.baseUrl())
          .withBean(WeatherService.class)
          .run(
              context -> {
                TravelAgent agent = context.getBean(TravelAgent.class);
                assertThat(agent.ask("Weather in Lisbon, in Celsius?"))
                    .isEqualTo("Sunny, 20 degrees.");
                assertThat(server.request(0).messages().get(0).content())
                    .contains("forecast(city: string)");
              });
    }
  }

  @Test
  void anAgentWhoseToolBeanIsMissingFailsWhenFirstUsedSayingWhatToDeclare() {
    Contexts.runner(Contexts.NO_SERVER)
        .withBean(LookupImpl.class)
        .run(
            context -> {
              // Agents are lazy: the context starts, as TravelAgent is not used.
              assertThat(context).hasNotFailed();
              assertThatThrownBy(() -> context.getBean(TravelAgent.class))
                  .rootCause()
                  .hasMessageContaining(
                      "@Agent "
                          + TravelAgent.class.getName()
                          + " uses the tools of "
                          + WeatherService.class.getName())
                  .hasMessageContaining("annotate WeatherService with @Service or @Component");
            });
  }

  @Test
  void anApplicationsOwnAgentBeanReplacesTheGeneratedOne() {
    TravelAgent mine = question -> "mine";
    Contexts.runner(Contexts.NO_SERVER)
        .withBean(WeatherService.class)
        .withBean("myAgent", TravelAgent.class, () -> mine)
        .run(
            context -> {
              assertThat(context.getBeanNamesForType(TravelAgent.class)).containsExactly("myAgent");
              assertThat(context.getBean(TravelAgent.class)).isSameAs(mine);
            });
  }

  @Test
  void closingTheContextClosesTheAgentsCompiler() {
    AtomicReference<LlmCompiler> compiler = new AtomicReference<>();
    Contexts.runner(Contexts.NO_SERVER)
        .withBean(WeatherService.class)
        .run(
            context ->
                compiler.set(((TravelAgentImpl) context.getBean(TravelAgent.class)).compiler()));
    assertThatThrownBy(() -> compiler.get().run("still there?"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
