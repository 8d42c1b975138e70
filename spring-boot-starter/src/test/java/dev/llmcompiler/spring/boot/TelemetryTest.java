package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.RunObserver;
import dev.llmcompiler.spring.boot.fixtures.ContextProbe;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application with an OpenTelemetry bean gets its runs traced; one without gets no tracing
 * observer.
 */
class TelemetryTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private ScriptedOpenAiServer server;

  @BeforeEach
  void start() {
    server = ScriptedOpenAiServer.start();
    server.enqueue(
        ScriptedResponse.stream("1. probe()\n2. join()<END_OF_PLAN>"),
        ScriptedResponse.stream("Action: Finish(done)"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void withAnOpenTelemetryBeanEveryRunIsTraced() {
    SdkTracerProvider tracing =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    OpenTelemetry openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracing).build();
    Contexts.runner(server.baseUrl())
        .withBean(ContextProbe.class)
        .withBean(OpenTelemetry.class, () -> openTelemetry)
        .run(
            context -> {
              assertThat(context).hasBean("llmCompilerTelemetry");
              assertThat(context.getBean(LlmCompiler.class).run("Who is asking?").answer())
                  .isEqualTo("done");
              // Read before the context closes: closing it shuts the SDK down, which empties the
              // exporter.
              List<String> names =
                  spans.getFinishedSpanItems().stream().map(SpanData::getName).toList();
              assertThat(names)
                  .anyMatch(name -> name.startsWith("invoke_agent"))
                  .anyMatch(name -> name.startsWith("plan"))
                  .contains("execute_tool probe")
                  .anyMatch(name -> name.startsWith("chat"));
            });
  }

  @Test
  void withoutOneThereIsNoTracingObserver() {
    Contexts.runner(Contexts.NO_SERVER)
        .withBean(ContextProbe.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean("llmCompilerTelemetry");
              assertThat(context.getBeansOfType(RunObserver.class))
                  .containsOnlyKeys("llmCompilerContextPropagation");
            });
  }
}
