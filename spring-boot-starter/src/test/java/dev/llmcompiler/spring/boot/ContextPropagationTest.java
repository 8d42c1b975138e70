package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.spring.boot.fixtures.ContextProbe;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** Tool calls see the MDC and the Spring Security context of the thread that started the run. */
class ContextPropagationTest {
  private ScriptedOpenAiServer server;

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    for (int run = 0; run < 2; run++) {
      server.enqueue(
          ScriptedResponse.stream("1. probe()\n2. probe()\n3. join()<END_OF_PLAN>"),
          ScriptedResponse.stream("Action: Finish(done)"));
    }
    MDC.put("requestId", "req-42");
    SecurityContextHolder.getContext()
        .setAuthentication(new UsernamePasswordAuthenticationToken("alice", "n/a", List.of()));
  }

  @AfterEach
  void stop() {
    MDC.clear();
    SecurityContextHolder.clearContext();
    server.close();
  }

  @Test
  void toolsSeeTheCallersMdcAndSecurityContext() {
    Contexts.runner(server.baseUrl())
        .withBean(ContextProbe.class)
        .run(
            context -> {
              RunResult result = context.getBean(LlmCompiler.class).run("Who is asking?");
              assertThat(Runs.results(result)).containsExactly("req-42/alice", "req-42/alice");
              // The tool threads' own context is restored after each call.
              MDC.put("requestId", "req-43");
              SecurityContextHolder.clearContext();
              assertThat(Runs.results(context.getBean(LlmCompiler.class).run("And now?")))
                  .containsExactly("req-43/null", "req-43/null");
            });
  }

  @Test
  void turnedOffToolsSeeNoneOfIt() {
    Contexts.runner(server.baseUrl())
        .withBean(ContextProbe.class)
        .withPropertyValues("llmcompiler.context-propagation.enabled=false")
        .run(
            context -> {
              RunResult result = context.getBean(LlmCompiler.class).run("Who is asking?");
              assertThat(Runs.results(result)).containsExactly("null/null", "null/null");
            });
  }
}
